/// <reference lib="dom" />
import path from 'node:path';
import test from 'ava';
import { launchChromium, requireTestNamespace } from './helpers/chromium.ts';
import { makeMp4, topLevelBoxes } from './helpers/ffmpeg.ts';
import { startMediaServer, tempDir } from './helpers/media-server.ts';

test('headless Chromium plays a moov-at-end H.264/AAC MP4 from the server, and a seek near the end plays', async (t) => {
  if (!requireTestNamespace(t)) return;
  const work = await tempDir(t);
  const source = path.join(work, 'film.mp4');
  await makeMp4(source, { seconds: 30, cbrKbps: 4000 }); // ~15 MB: too big to fetch in one go
  const boxes = await topLevelBoxes(source);
  t.true(boxes.indexOf('moov') > boxes.indexOf('mdat'), `moov after mdat: ${boxes.join(',')}`);

  const { readFile } = await import('node:fs/promises');
  const server = await startMediaServer(t, { 'film.mp4': await readFile(source) }, { library: { watch: false } });
  const ranges: string[] = [];
  server.server.httpServer.on('request', (request) => {
    if (request.url?.startsWith('/media/')) ranges.push(request.headers.range ?? '(none)');
  });

  const context = await launchChromium(t);
  const page = await context.newPage();
  // A cross-origin page with crossorigin="anonymous", as a receiver on another origin: exercises CORS too.
  await page.setContent('<video id="v" crossorigin="anonymous" muted playsinline></video>');
  const url = `${server.origin}${server.mediaPath('film.mp4')}`;
  await page.evaluate(async (src) => {
    const video = document.getElementById('v') as HTMLVideoElement;
    video.src = src;
    await video.play();
  }, url);

  await page.waitForFunction(() => {
    const video = document.getElementById('v') as HTMLVideoElement;
    return video.currentTime > 1 && video.videoWidth > 0;
  }, undefined, { timeout: 20_000 });
  const first = await page.evaluate(() => {
    const video = document.getElementById('v') as HTMLVideoElement;
    return { width: video.videoWidth, height: video.videoHeight, duration: video.duration, frames: video.getVideoPlaybackQuality().totalVideoFrames };
  });
  t.is(first.width, 320);
  t.is(first.height, 180);
  t.true(Math.abs(first.duration - 30) < 0.5, `duration ${first.duration}`);
  t.true(first.frames > 0);

  await page.evaluate(() => {
    const video = document.getElementById('v') as HTMLVideoElement;
    video.currentTime = video.duration - 4;
  });
  await page.waitForFunction(() => {
    const video = document.getElementById('v') as HTMLVideoElement;
    return !video.seeking && video.currentTime > video.duration - 3.5;
  }, undefined, { timeout: 20_000 });
  const afterSeek = await page.evaluate(() => {
    const video = document.getElementById('v') as HTMLVideoElement;
    return { error: video.error?.code ?? null, frames: video.getVideoPlaybackQuality().totalVideoFrames };
  });
  t.is(afterSeek.error, null);
  t.true(afterSeek.frames > first.frames, 'frames decoded after the seek');

  t.log(`Range requests Chromium made: ${ranges.join(' | ')}`);
  t.is(ranges[0], 'bytes=0-');
  const starts = ranges.map((range) => Number(/^bytes=(\d+)-/.exec(range)?.[1] ?? -1));
  const size = server.item('film.mp4').size;
  t.true(starts[1]! > size * 0.9, 'second request: the moov atom at the end');
  t.true(starts.slice(2).some((start) => start >= 0 && start < size / 2), 'then back to the media data near the start');
  t.true(starts.at(-1)! > size * 0.75, 'last request: the seek near the end');
});
