/// <reference lib="dom" />
// The web page says what NasCast does to a file for the chosen device, and a browser
// target with no HLS of its own (as Firefox) plays the conversion through the hls.js
// NasCast serves: Chromium's native HLS is hidden from the page as such a browser has none.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { NasCast } from '../src/nascast.ts';
import { launchChromium, requireTestNamespace } from './helpers/chromium.ts';
import { makeSample } from './helpers/ffmpeg.ts';
import { eventually, tempDir } from './helpers/media-server.ts';

test('a browser without HLS plays a converted MKV through hls.js, seeks, and the web page explains the conversion for it', async (t) => {
  if (!requireTestNamespace(t)) return;
  t.timeout(180_000);
  const dir = await tempDir(t);
  await fs.mkdir(path.join(dir, 'Films'));
  await makeSample(path.join(dir, 'Films', 'Film.mkv'), 'h264-ac3-5.1.mkv', 30);
  const token = randomBytes(24).toString('base64url');
  const cast = new NasCast({ media: [{ name: 'Films', path: path.join(dir, 'Films') }], port: 0, host: '127.0.0.1', secrets: { token, signingKey: randomBytes(32) }, discovery: false, rescanInterval: 0, probe: true });
  t.teardown(() => cast.stop());
  await cast.start();
  const browser = await launchChromium(t);

  // The screen: no native HLS (the element says '' to HLS types, as Firefox's does).
  const screen = await browser.newPage();
  const screenErrors: string[] = [];
  screen.on('pageerror', (error) => screenErrors.push(error.message));
  await screen.addInitScript(() => {
    const canPlayType = HTMLMediaElement.prototype.canPlayType;
    HTMLMediaElement.prototype.canPlayType = function (type: string): CanPlayTypeResult {
      return /mpegurl/i.test(type) ? '' : canPlayType.call(this, type);
    };
  });
  await screen.goto(cast.control.receiverPageUrl('Laptop'));
  await eventually(() => cast.devices().some((device) => device.name === 'Laptop'), 10_000, 'the screen joined');

  // The web page: the details of the film say what is done for the Laptop, and why.
  const page = await browser.newPage();
  const origin = `http://127.0.0.1:${cast.server.port}`;
  await page.goto(`${origin}/?token=${token}`);
  await page.waitForSelector('#grid .tile[data-path="Films"]');
  await page.click('#grid .tile[data-path="Films"]');
  await page.waitForSelector('#grid .tile[data-kind="video"]');
  await page.click('#grid .tile[data-kind="video"]');
  await page.waitForSelector('#details[open] #details-decision:not([hidden])', { timeout: 20_000 });
  t.regex((await page.textContent('#details-decision')) ?? '', /^NasCast converts the sound for this device: AC-3 \(Dolby Digital\) 5\.1 is not supported by Laptop \(browser target\): converting the audio to AAC stereo/);
  await page.click('#details-cast');
  await page.waitForSelector('#details', { state: 'hidden', timeout: 30_000 });

  const state = (): Promise<{ hlsJs: boolean; src: string; width: number; frames: number; audio: number; time: number }> =>
    screen.$eval('video', (video) => {
      const element = video as HTMLVideoElement & { webkitAudioDecodedByteCount?: number };
      return { hlsJs: 'Hls' in window, src: element.currentSrc, width: element.videoWidth, frames: element.getVideoPlaybackQuality().totalVideoFrames, audio: element.webkitAudioDecodedByteCount ?? 0, time: element.currentTime };
    });
  await eventually(async () => (await state()).frames > 10, 30_000, 'frames decoded');
  const first = await state();
  t.true(first.hlsJs, 'hls.js was loaded from NasCast');
  t.regex(first.src, /^blob:/, 'played through Media Source Extensions');
  t.true(first.width > 0);
  await eventually(async () => (await state()).audio > first.audio, 20_000, 'sound decoded');
  await cast.player('Laptop').then((player) => player.seek(24));
  await eventually(async () => (await state()).time > 24.5, 30_000, 'plays after the seek');
  t.deepEqual(screenErrors, []);
});
