/// <reference lib="dom" />
// Our receiver app on a simulated 3rd-generation Chromecast: it says what the device plays
// (CAF's canDisplayType, answered by the model), and plays NasCast's conversion of a file
// the device cannot decode through CAF, told the segments are fMP4.
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { lastStatus, startCastApp } from './helpers/cast-app.ts';
import { requireTestNamespace } from './helpers/chromium.ts';
import { makeSample } from './helpers/ffmpeg.ts';
import { eventually, tempDir } from './helpers/media-server.ts';

test('an HEVC 10-bit MKV with AC-3 on our receiver app: the device says it plays neither, NasCast converts both, and CAF plays the stream with picture and sound', async (t) => {
  if (!requireTestNamespace(t)) return;
  const work = await tempDir(t);
  await makeSample(path.join(work, 'film.mkv'), 'hevc-main10.mkv', 20);
  await makeSample(path.join(work, 'plain.mp4'), 'h264-aac.mp4', 20);
  const app = await startCastApp(t, { 'Films/Film.mkv': await fs.readFile(path.join(work, 'film.mkv')), 'Films/Plain.mp4': await fs.readFile(path.join(work, 'plain.mp4')) }, { library: { probe: true } });
  // A first play launches our app; its hello says what the device plays.
  t.is((await app.client.play(app.device, { media: 'Media/Films/Plain.mp4' }))?.state, 'PLAYING');
  const said = app.control.hub.receivers.find((receiver) => receiver.device === app.device)?.supports ?? [];
  t.true(said.includes('video/mp4; codecs="avc1.640029"'), said.join(', '));
  t.false(said.some((type) => /hvc1|ac-3|matroska/.test(type)), 'a 3rd generation plays no HEVC, no AC-3 and no MKV');

  const played = await app.client.play(app.device, { media: 'Media/Films/Film.mkv' });
  t.like(played, { state: 'PLAYING', conversion: { mode: 'video' } });
  await eventually(lastStatus(app.statuses, (status) => status.state === 'PLAYING' && /\/stream\//.test(status.media?.url ?? '')), 10_000, 'PLAYING the stream');
  const page = app.simulator.receiverPage!;
  const progress = (): Promise<{ frames: number; audio: number; width: number; duration: number }> =>
    page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement & { webkitAudioDecodedByteCount?: number }>('video')!;
      return { frames: video.getVideoPlaybackQuality().totalVideoFrames, audio: video.webkitAudioDecodedByteCount ?? 0, width: video.videoWidth, duration: video.duration };
    });
  await eventually(async () => (await progress()).frames > 10, 20_000, 'frames decoded');
  const first = await progress();
  await eventually(async () => (await progress()).audio > first.audio, 20_000, 'sound decoded');
  t.true(first.width > 0);
  t.true(Math.abs(first.duration - 20) < 1, `the whole duration: ${first.duration}`);
  t.deepEqual(app.warnings, [], 'no uncaught error in the page');
});
