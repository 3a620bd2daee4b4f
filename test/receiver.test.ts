/// <reference lib="dom" />
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { ControlClient } from '../src/control/client.ts';
import { ControlError } from '../src/errors.ts';
import { mountControl, type MountedControl } from '../src/players/mount.ts';
import type { ControlStatus } from '../src/protocol/index.ts';
import { launchChromium, requireTestNamespace } from './helpers/chromium.ts';
import { cuttableProxy } from './helpers/control.ts';
import { makeMp4, makePng } from './helpers/ffmpeg.ts';
import { makeTaggedMp3 } from './helpers/media-fixtures.ts';
import { eventually, startMediaServer, tempDir, type FileTree, type TestServer } from './helpers/media-server.ts';
import type { MediaLibraryOptions } from '../src/library/library.ts';

const SCREENSHOTS = path.resolve('test-output', 'receiver');

async function screenshot(page: Page, name: string): Promise<void> {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Which of the receiver's screens is visible. */
function visibleScreen(page: Page): Promise<string> {
  return page.evaluate(() => ['idle', 'loading', 'now-playing', 'error'].filter((id) => !document.getElementById(id)!.hidden).join(','));
}

function video<T>(page: Page, read: (video: HTMLVideoElement) => T): Promise<T> {
  return page.$eval('video', read);
}

interface Setup {
  media: TestServer;
  control: MountedControl;
  client: ControlClient;
  statuses: ControlStatus[];
  page: Page;
  /** Uncaught errors in the page; a test checks it is empty at its end. */
  pageErrors: string[];
}

async function setup(
  t: ExecutionContext,
  receiverQuery: (control: MountedControl, media: TestServer) => Promise<Record<string, string>>,
  more: { files?: FileTree; library?: Partial<MediaLibraryOptions> } = {},
): Promise<Setup> {
  const work = await tempDir(t);
  await makeMp4(path.join(work, 'film.mp4'), { seconds: 20, faststart: true });
  await makePng(path.join(work, 'photo.png'));
  const media = await startMediaServer(t, {
    'Films/Test Film.mp4': await fs.readFile(path.join(work, 'film.mp4')),
    'Films/Test Film.en.srt': '1\n00:00:00,000 --> 00:00:19,000\nHello from the subtitles\n',
    'Films/Broken.mp4': Buffer.alloc(4096, 7),
    'Photos/photo.png': await fs.readFile(path.join(work, 'photo.png')),
    ...more.files,
  }, more.library ? { library: more.library } : {});
  const control = mountControl(media.server, { secrets: media.secrets, name: 'Family NAS', heartbeatMs: 1000 });
  t.teardown(() => control.close());
  const client = new ControlClient({ url: `ws://127.0.0.1:${media.server.port}/control`, token: media.secrets.token });
  t.teardown(() => client.close());
  const statuses: ControlStatus[] = [];
  client.on('status', (_device, status) => statuses.push(status));
  await client.connect();

  const context = await launchChromium(t);
  const page = await context.newPage();
  await page.setViewportSize({ width: 1920, height: 1080 });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${media.origin}/receiver/?${new URLSearchParams(await receiverQuery(control, media)).toString()}`);
  return { media, control, client, statuses, page, pageErrors };
}

/** The URL of a film whose server answers the headers and then stalls: a receiver stays on its loading screen. */
async function stalledFilm(t: ExecutionContext): Promise<string> {
  const stalled = http.createServer((request, response) => {
    response.writeHead(request.method === 'HEAD' ? 200 : 206, { 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes', 'Content-Length': '1000000', ...(request.method === 'HEAD' ? {} : { 'Content-Range': 'bytes 0-999999/1000000' }) });
    if (request.method === 'HEAD') response.end();
    else response.flushHeaders();
  });
  await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    stalled.closeAllConnections();
    stalled.close();
  });
  return `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/slow.mp4`;
}

const last = (statuses: ControlStatus[], match: (status: ControlStatus) => boolean) => (): boolean => statuses.length > 0 && match(statuses.at(-1)!);

test('a browser target: a page with ?name= is a device, plays a real MP4 with subtitles, obeys every command and keeps playing through a cut channel', async (t) => {
  if (!requireTestNamespace(t)) return;
  let proxy!: Awaited<ReturnType<typeof cuttableProxy>>;
  const { media, control, client, statuses, page, pageErrors } = await setup(t, async (mounted, server) => {
    proxy = await cuttableProxy(t, server.server.port);
    const token = new URL(mounted.receiverPageUrl('Kitchen Tablet')).searchParams.get('token')!;
    return { name: 'Kitchen Tablet', token, control: `ws://127.0.0.1:${proxy.port}/control` };
  });
  const device = 'browser:kitchen-tablet';
  await eventually(() => control.hub.receivers.some((receiver) => receiver.device === device), 10_000, 'the page registered');
  t.deepEqual(await client.devices(), [{ id: device, name: 'Kitchen Tablet', kind: 'browser', online: true }]);
  await page.waitForFunction(() => document.getElementById('library-name')!.textContent === 'Family NAS');
  t.is(await visibleScreen(page), 'idle');
  t.regex((await page.textContent('#target-name')) ?? '', /Kitchen Tablet/);
  await screenshot(page, 'idle');
  await client.subscribe(device);

  // Play, by the name the page gave, with English subtitles.
  const film = media.item('Films/Test Film.mp4');
  const played = await client.play('Kitchen Tablet', { media: film.id, subtitles: 'en' });
  t.is(played?.state, 'PLAYING');
  await page.waitForFunction(() => {
    const element = document.querySelector('video')!;
    return element.currentTime > 0.5 && element.videoWidth > 0;
  }, undefined, { timeout: 15_000 });
  t.is(await video(page, (element) => element.videoWidth), 320);
  t.is(await video(page, () => Array.from(document.querySelector('video')!.textTracks).find((track) => track.mode === 'showing')?.language), 'en');
  await eventually(last(statuses, (status) => status.state === 'PLAYING' && status.media?.title === 'Test Film' && status.duration !== undefined), 5000, 'PLAYING status');
  t.is(await visibleScreen(page), 'now-playing');
  await screenshot(page, 'now-playing');
  // Every second while playing, a status with a moving position.
  const before = statuses.length;
  await eventually(() => statuses.length >= before + 2, 5000, 'periodic status');

  await client.pause(device);
  t.true(await video(page, (element) => element.paused));
  await eventually(last(statuses, (status) => status.state === 'PAUSED'), 5000, 'PAUSED status');

  await client.seek(device, 12);
  await page.waitForFunction(() => !document.querySelector('video')!.seeking && Math.abs(document.querySelector('video')!.currentTime - 12) < 0.5);
  await eventually(last(statuses, (status) => Math.abs(status.position - 12) < 0.5), 5000, 'position 12 reported');

  await client.volume(device, 0.3);
  t.is(await video(page, (element) => element.volume), 0.3);
  await eventually(last(statuses, (status) => status.volume === 0.3), 5000, 'volume reported');
  await client.mute(device, true);
  t.true(await video(page, (element) => element.muted));

  await client.seek(device, 1);
  await client.resume(device);
  await eventually(last(statuses, (status) => status.state === 'PLAYING'), 5000, 'PLAYING again');

  // Cut the channel: the receiver leaves the hub, the film plays on, and it comes back by itself.
  await proxy.cut();
  await eventually(() => !control.hub.receivers.some((receiver) => receiver.device === device), 5000, 'receiver gone');
  const cutAt = await video(page, (element) => element.currentTime);
  await page.waitForFunction(() => !document.getElementById('link')!.hidden);
  await page.waitForFunction((from) => document.querySelector('video')!.currentTime > from + 1, cutAt, { timeout: 10_000 });
  t.false(await video(page, (element) => element.paused), 'still playing while cut off');
  await t.throwsAsync(client.pause(device), { instanceOf: ControlError, message: /no device named 'browser:kitchen-tablet'; found: none/ });
  await proxy.restore();
  await eventually(() => control.hub.receivers.some((receiver) => receiver.device === device), 10_000, 'receiver back');
  await eventually(last(statuses, (status) => status.state === 'PLAYING' && status.position > cutAt + 1), 5000, 'status after reconnect');
  await page.waitForFunction(() => document.getElementById('link')!.hidden);

  await client.stop(device);
  t.is(await video(page, (element) => element.getAttribute('src')), null);
  await eventually(last(statuses, (status) => status.state === 'IDLE'), 5000, 'IDLE');
  t.is(await visibleScreen(page), 'idle');
  t.deepEqual(pageErrors, [], 'no uncaught error in the receiver page');
});

test('the receiver shows photos full screen, a loading screen, and an error screen that says what failed', async (t) => {
  if (!requireTestNamespace(t)) return;
  const { media, client, statuses, page, control, pageErrors } = await setup(t, (mounted) => Promise.resolve(Object.fromEntries(new URL(mounted.receiverPageUrl('Living Room Screen')).searchParams)));
  const device = 'browser:living-room-screen';
  await eventually(() => control.hub.receivers.some((receiver) => receiver.device === device), 10_000, 'the page registered');
  await client.subscribe(device);

  await client.play(device, { media: media.item('Photos/photo.png').id });
  const picture = await page.evaluate(() => {
    const image = document.getElementById('picture') as HTMLImageElement;
    const box = image.getBoundingClientRect();
    return { hidden: image.hidden, width: box.width, height: box.height, natural: image.naturalWidth };
  });
  t.deepEqual(picture, { hidden: false, width: 1920, height: 1080, natural: 640 });
  t.true(await page.$eval('#backdrop', (element) => (element as HTMLImageElement).hidden && !element.hasAttribute('src')), 'a photo is its own picture: no artwork is fetched');
  await screenshot(page, 'photo');

  // A file that is not a film: the play request fails with LOAD_FAILED, and the screen says why.
  const failed = await t.throwsAsync(client.play(device, { media: media.item('Films/Broken.mp4').id }), { instanceOf: ControlError });
  t.is(failed.code, 'LOAD_FAILED');
  t.regex(failed.message, /MEDIA_ERR_SRC_NOT_SUPPORTED|MEDIA_ERR_DECODE/);
  await eventually(last(statuses, (status) => status.state === 'ERROR' && /MEDIA_ERR/.test(status.error ?? '')), 5000, 'ERROR status').catch((error: unknown) => {
    throw new Error(`${String(error)}: ${JSON.stringify(statuses.slice(-4))}`);
  });
  t.is(await visibleScreen(page), 'error');
  t.regex((await page.textContent('#error-title')) ?? '', /Could not play “Broken”/);
  await screenshot(page, 'error');

  // A server that answers the headers and then stalls: the receiver stays on its loading screen.
  const loading = client.play(device, { url: await stalledFilm(t) });
  loading.catch(() => {});
  await eventually(last(statuses, (status) => status.state === 'LOADING'), 5000, 'LOADING status');
  t.is(await visibleScreen(page), 'loading');
  await screenshot(page, 'loading');
  await client.stop(device);
  await t.throwsAsync(loading, { instanceOf: ControlError, code: 'LOAD_FAILED' } as never);
  t.is(await visibleScreen(page), 'idle');

  // Unknown devices and media get their own codes.
  t.is((await t.throwsAsync(client.play('Kitchn', { media: 'x' }), { instanceOf: ControlError })).code, 'UNKNOWN_MEDIA');
  t.is((await t.throwsAsync(client.play('Kitchn', { media: media.item('Photos/photo.png').id }), { instanceOf: ControlError })).code, 'UNKNOWN_DEVICE');
  t.deepEqual(pageErrors, [], 'no uncaught error in the receiver page');
});

interface ShownImage {
  id: string;
  src: string;
  natural: number;
  box: { x: number; y: number; width: number; height: number };
}

/** The <img> elements a person would see: a broken one (not loaded) shows as naturalWidth 0. */
function shownImages(page: Page): Promise<ShownImage[]> {
  return page.evaluate(() =>
    Array.from(document.images)
      .filter((image) => image.checkVisibility())
      .map((image) => {
        const { x, y, width, height } = image.getBoundingClientRect();
        return { id: image.id, src: image.getAttribute('src') ?? '', natural: image.naturalWidth, box: { x, y, width, height } };
      }),
  );
}

test('a song shows its cover over a blurred copy of it with its title and times, a slow film loads over its picture, and no artwork leaves the plain screens', async (t) => {
  if (!requireTestNamespace(t)) return;
  const work = await tempDir(t);
  const withCover = await fs.readFile(await makeTaggedMp3(work, { seconds: 40, cover: 600 }));
  const noCover = await fs.readFile(await makeTaggedMp3(work, { seconds: 40, cover: false }));
  const { media, client, statuses, page, control, pageErrors } = await setup(t, (mounted) => Promise.resolve(Object.fromEntries(new URL(mounted.receiverPageUrl('Den Screen')).searchParams)), {
    files: { 'Music/Song.mp3': withCover, 'Music/No Cover.mp3': noCover },
    // Probing finds the embedded cover (and the tags' title).
    library: { probe: true },
  });
  await eventually(() => media.library.probing()?.probed === 5, 30_000, 'the library probed');
  const device = 'browser:den-screen';
  await eventually(() => control.hub.receivers.some((receiver) => receiver.device === device), 10_000, 'the page registered');
  await client.subscribe(device);

  // The song: its cover centred over a blurred copy that fills the screen, the title and times below.
  const song = media.item('Music/Song.mp3');
  await client.play(device, { media: song.id });
  await page.waitForFunction(() => {
    const cover = document.getElementById('np-cover') as HTMLImageElement;
    return cover.checkVisibility() && cover.naturalWidth > 0;
  }, undefined, { timeout: 10_000 });
  const shown = await shownImages(page);
  t.deepEqual(shown.map((image) => image.id).sort(), ['backdrop', 'np-cover']);
  for (const image of shown) {
    const url = new URL(image.src);
    t.is(url.pathname, `/artwork/${song.id}`, image.id);
    t.is(url.searchParams.get('size'), 'large', image.id);
    t.is(image.natural, 600, `${image.id}: the embedded cover`);
  }
  const cover = shown.find((image) => image.id === 'np-cover')!.box;
  const backdrop = shown.find((image) => image.id === 'backdrop')!.box;
  t.true(Math.abs(cover.x + cover.width / 2 - 960) < 2, 'the cover is centred');
  t.true(cover.height > 400 && Math.abs(cover.width - cover.height) < 2, `a large square cover: ${JSON.stringify(cover)}`);
  t.true(backdrop.x <= 0 && backdrop.y <= 0 && backdrop.x + backdrop.width >= 1920 && backdrop.y + backdrop.height >= 1080, 'the blurred copy fills the screen');
  const title = await page.$eval('#np-title', (element) => ({ text: element.textContent, top: element.getBoundingClientRect().top }));
  t.is(title.text, 'Song Title');
  t.true(title.top >= cover.y + cover.height, 'the title is below the cover');
  t.is(await page.textContent('#np-duration'), '0:40', "the element's duration");
  await eventually(last(statuses, (status) => status.state === 'PLAYING' && status.position > 1), 10_000, 'the song plays');
  await page.waitForFunction(() => document.getElementById('np-time')!.textContent !== '0:00');
  // The screen stays: it does not fade as a film's bar does.
  await new Promise((resolve) => setTimeout(resolve, 5500));
  t.false(await page.$eval('#now-playing', (element) => element.classList.contains('faded')));
  await screenshot(page, 'audio');

  // A song with no artwork (404): the plain now-playing bar, and no broken image.
  const plain = media.item('Music/No Cover.mp3');
  const answered = page.waitForResponse((response) => response.url().includes(`/artwork/${plain.id}`));
  await client.play(device, { media: plain.id });
  t.is((await answered).status(), 404);
  await eventually(last(statuses, (status) => status.state === 'PLAYING' && status.media?.url.includes(plain.id) === true), 10_000, 'the plain song plays');
  // The page has tried the picture (an <img> is complete once its fetch failed too).
  await page.waitForFunction((id) => Array.from(document.querySelectorAll('img')).some((image) => image.src.includes(id) && image.complete), plain.id);
  t.deepEqual(await shownImages(page), [], 'no image shows, broken or not');
  t.is(await visibleScreen(page), 'now-playing');
  t.false(await page.$eval('#now-playing', (element) => element.classList.contains('audio')));
  await screenshot(page, 'audio-no-artwork');

  // A film that loads slowly: its picture, dimmed, behind the spinner.
  const film = media.item('Films/Test Film.mp4');
  const image = media.server.castMedia(film).images![0]!;
  const loading = control.hub.command(device, { type: 'load', url: await stalledFilm(t), contentType: 'video/mp4', kind: 'video', title: 'Slow Film', image });
  loading.catch(() => {});
  await page.waitForFunction(() => {
    const picture = document.getElementById('backdrop') as HTMLImageElement;
    return picture.checkVisibility() && picture.naturalWidth > 0;
  }, undefined, { timeout: 15_000 });
  t.is(await visibleScreen(page), 'loading');
  t.deepEqual((await shownImages(page)).map((shownImage) => shownImage.id), ['backdrop']);
  t.true(await page.$eval('#backdrop', (element) => element.classList.contains('poster')));
  await screenshot(page, 'loading-artwork');
  await control.hub.command(device, { type: 'stop' });
  await t.throwsAsync(loading);
  t.is(await visibleScreen(page), 'idle');
  t.deepEqual(await shownImages(page), []);
  t.deepEqual(pageErrors, [], 'no uncaught error in the receiver page');
});
