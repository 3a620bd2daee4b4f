import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import type { Page } from 'playwright-core';
import { NasCast } from '../src/nascast.ts';
import { launchChromium, requireTestNamespace } from './helpers/chromium.ts';
import { makeMp4 } from './helpers/ffmpeg.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

// The web page at `/` in headless Chromium (inside the loopback-only namespace): log in,
// browse, cast to a simulator, use each control and see the device and the page change.

const SCREENSHOTS = path.resolve('test-output', 'web');

/** Logs in with the token; resolves once the library, the device and the live link show. */
async function logIn(page: Page, token: string, device: string): Promise<void> {
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#entries button:has-text("Films")');
  await page.waitForSelector(`.device[data-device] .device-name:has-text("${device}")`);
  await page.waitForSelector('#link.open');
}

test('the web page: a wrong token is refused; log in, browse, cast, and every control takes effect and shows', async (t) => {
  if (!requireTestNamespace(t)) return;
  t.timeout(120_000);
  const dir = await tempDir(t);
  await fs.mkdir(path.join(dir, 'Films', 'Cartoons'), { recursive: true });
  await makeMp4(path.join(dir, 'Films', 'Cartoons', 'Episode 1.mp4'), { seconds: 20, faststart: true });
  await fs.copyFile(path.join(dir, 'Films', 'Cartoons', 'Episode 1.mp4'), path.join(dir, 'Films', 'Cartoons', 'Episode 2.mp4'));
  const tv = await startSimulator(t, { name: 'Kitchen' });
  const token = randomBytes(24).toString('base64url');
  const cast = new NasCast({ media: [{ name: 'Films', path: path.join(dir, 'Films') }], port: 0, host: '127.0.0.1', secrets: { token, signingKey: randomBytes(32) }, discovery: false, devices: [`Kitchen=${tv.host}:${tv.port}`], rescanInterval: 0 });
  t.teardown(() => cast.stop());
  await cast.start();

  const browser = await launchChromium(t);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`http://127.0.0.1:${cast.server.port}/`);

  // A wrong token is refused, in words.
  await page.fill('#token', 'not-the-token');
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#message:not([hidden])');
  t.regex((await page.textContent('#message')) ?? '', /That token is not right/);
  t.true(await page.isHidden('#app'));

  // The right one: the library and the device appear; the link is live.
  await logIn(page, token, 'Kitchen');
  await page.click('#entries button:has-text("Films")');
  await page.click('#entries button:has-text("Cartoons")');
  await page.waitForSelector('#entries button:has-text("Episode 2")');
  t.is(await page.textContent('#crumbs'), 'LibraryFilmsCartoons');

  // Pick the folder (a queue) and cast: the only device is chosen already.
  await page.click('#entries button:has-text("Play all of Cartoons")');
  t.regex((await page.textContent('#selection')) ?? '', /Cartoons → Kitchen/);
  await page.click('#cast');
  await eventually(() => tv.mediaStatus()?.playerState === 'PLAYING', 15_000, 'the device playing');
  const card = '.device[data-device]';
  await page.waitForSelector(`${card} .now-state:has-text("PLAYING")`);
  t.is(await page.textContent(`${card} .now-title`), 'Episode 1');
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop.png'), fullPage: true });

  // Each control, on the device and back on the page.
  t.is(await page.textContent(`${card} [data-action=toggle]`), 'Pause');
  await page.click(`${card} [data-action=toggle]`);
  await eventually(() => tv.mediaStatus()?.playerState === 'PAUSED', 10_000, 'paused');
  await page.waitForSelector(`${card} .now-state:has-text("PAUSED")`);
  t.is(await page.textContent(`${card} [data-action=toggle]`), 'Play');
  await page.click(`${card} [data-action=toggle]`);
  await eventually(() => tv.mediaStatus()?.playerState === 'PLAYING', 10_000, 'playing again');
  await page.$eval(`${card} .seek`, (input: HTMLInputElement) => {
    input.value = '12';
    input.dispatchEvent(new Event('change'));
  });
  await eventually(() => Math.abs(Number(tv.mediaStatus()?.currentTime) - 12) < 2, 10_000, 'the seek');
  await page.$eval(`${card} .volume`, (input: HTMLInputElement) => {
    input.value = '35';
    input.dispatchEvent(new Event('change'));
  });
  await eventually(() => Math.abs(tv.volume.level - 0.35) < 0.001, 10_000, 'the volume');
  await page.click(`${card} [data-action=mute]`);
  await page.waitForSelector(`${card} [data-action=mute]:has-text("Unmute")`);
  await eventually(() => tv.volume.muted, 10_000, 'muted');
  await page.click(`${card} [data-action=next]`);
  await page.waitForSelector(`${card} .now-title:has-text("Episode 2")`);
  await page.click(`${card} [data-action=prev]`);
  await page.waitForSelector(`${card} .now-title:has-text("Episode 1")`);
  await page.click(`${card} [data-action=stop]`);
  await eventually(() => tv.mediaStatus()?.playerState === 'IDLE', 10_000, 'stopped');
  await page.waitForSelector(`${card} .now-state:has-text("IDLE")`);

  // A load that fails is said in words, with the reason.
  tv.failNextLoad('MEDIA_SRC_NOT_SUPPORTED');
  await page.click('#entries button:has-text("Episode 2")');
  await page.click('#cast');
  await page.waitForSelector('#message:has-text("failed to load on Kitchen")');
  t.regex((await page.textContent('#message')) ?? '', /MEDIA_SRC_NOT_SUPPORTED, 104/);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'phone.png'), fullPage: true });
  // On a phone the two columns stack: the device list sits below the library.
  const library = await page.locator('.library').boundingBox();
  const devices = await page.locator('.devices').boundingBox();
  t.true(devices!.y > library!.y + library!.height - 1, 'stacked on a phone');

  // The token is kept: a reload logs in by itself.
  await page.reload();
  await page.waitForSelector('#app:not([hidden])');
  t.deepEqual(errors, []);
});

test('the web page over HTTPS (plain HTTP redirects to it): log in, cast, and the device still fetches the media over plain HTTP', async (t) => {
  if (!requireTestNamespace(t)) return;
  t.timeout(120_000);
  const dir = await tempDir(t);
  await fs.mkdir(path.join(dir, 'Films'), { recursive: true });
  await makeMp4(path.join(dir, 'Films', 'Clip.mp4'), { seconds: 20, faststart: true });
  const tv = await startSimulator(t, { name: 'Kitchen' });
  const token = randomBytes(24).toString('base64url');
  const cast = new NasCast({ media: [{ name: 'Films', path: path.join(dir, 'Films') }], port: 0, host: '127.0.0.1', storage: await tempDir(t), secrets: { token, signingKey: randomBytes(32) }, discovery: false, devices: [`Kitchen=${tv.host}:${tv.port}`], rescanInterval: 0, tls: true });
  t.teardown(() => cast.stop());
  await cast.start();

  const browser = await launchChromium(t, { ignoreHTTPSErrors: true });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`http://127.0.0.1:${cast.server.port}/`);
  t.is(page.url(), `https://127.0.0.1:${cast.server.port}/`, 'plain HTTP sent the page to HTTPS');
  await logIn(page, token, 'Kitchen');
  await page.click('#entries button:has-text("Films")');
  await page.click('#entries button:has-text("Clip")');
  await page.click('#cast');
  await eventually(() => tv.mediaStatus()?.playerState === 'PLAYING', 15_000, 'the device playing');
  const contentId = String((tv.mediaStatus()?.media as { contentId?: unknown } | undefined)?.contentId);
  t.regex(contentId, /^http:\/\/127\.0\.0\.1:\d+\/media\//, 'devices keep plain HTTP (grants, never the token)');
  await page.waitForSelector('.device[data-device] .now-state:has-text("PLAYING")');
  t.deepEqual(errors, []);
});
