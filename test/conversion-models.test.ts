// NasCast's decisions held to the simulator's models, which play by Google's table on
// their own (src/simulator/decoding.ts reads the file as the device gets it): whatever
// NasCast hands each model must play with picture and sound (sound alone on speakers),
// converted only where the file as it is would not.
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { UnplayableMediaError } from '../src/errors.ts';
import { DEVICE_MODELS } from '../src/media/device-models.ts';
import { resolvePlayable } from '../src/media/resolve.ts';
import { modelProfile } from '../src/media/device-profile.ts';
import { MediaPlayback } from '../src/simulator/media-playback.ts';
import { makeSample, SAMPLES, type SampleName } from './helpers/ffmpeg.ts';
import { eventually, startMediaServer, tempDir } from './helpers/media-server.ts';

const NAMES = Object.keys(SAMPLES) as SampleName[];

test('every sample on every model: what NasCast hands over plays whole, and a file is converted only when the model would not play it whole as it is', async (t) => {
  const dir = await tempDir(t);
  await Promise.all(NAMES.map((name) => makeSample(path.join(dir, name), name, 12)));
  const files = Object.fromEntries(await Promise.all(NAMES.map(async (name) => [`Samples/${name}`, await fs.readFile(path.join(dir, name))] as const)));
  const media = await startMediaServer(t, files, { library: { probe: true } });
  await eventually(() => {
    const probing = media.library.probing();
    return probing !== undefined && !probing.running && probing.probed >= probing.files;
  }, 60_000, 'every sample probed');

  const summary: string[] = [];
  for (const model of DEVICE_MODELS.values()) {
    const profile = modelProfile(model);
    for (const name of NAMES) {
      const item = media.item(`Samples/${name}`);
      const handed = media.server.signedMedia.castMedia(item, { profile });
      const mode = handed.conversion?.mode ?? 'direct';
      const playback = new MediaPlayback({ model, changed: () => {}, error: () => {}, takeLoadFailure: () => undefined });
      const outcome = await playback.load([{ media: { contentId: handed.url, contentType: handed.contentType } }], 0, true);
      const rendering = playback.rendering();
      playback.close();
      await media.server.streams.conversions.drop(`${item.id}/${/\/stream\/[^/]+\/([^/]+)\//.exec(handed.url)?.[1] ?? ''}`);
      const what = `${name} on ${model.id} (${mode}: ${handed.conversion?.reasons.join('; ') ?? ''})`;
      t.true(outcome.ok, `${what}: ${outcome.ok ? '' : JSON.stringify(outcome)}`);
      if (!outcome.ok) continue;
      t.deepEqual({ video: rendering!.video, audio: rendering!.audio }, { video: model.castType === 'video', audio: true }, `${what}: ${rendering!.reasons.join('; ')}`);

      // The file as it is, on the same model: converted exactly when that would not play whole.
      const raw = new MediaPlayback({ model, changed: () => {}, error: () => {}, takeLoadFailure: () => undefined });
      const direct = await raw.load([{ media: { contentId: media.server.signedMedia.mediaUrl(item), contentType: item.mime } }], 0, true);
      const whole = direct.ok && raw.rendering()!.audio && raw.rendering()!.video === (model.castType === 'video');
      raw.close();
      t.is(mode === 'direct', whole, `${what}: as it is, the model ${whole ? 'plays it whole' : 'does not play it whole'}`);
      summary.push(`${model.id} ${name}: ${mode}`);
    }
  }
  t.log(summary.join('\n'));
});

test('without ffmpeg, a file that plays as it is still plays, and one that needs converting is refused in words that say how to install it', async (t) => {
  const dir = await tempDir(t);
  await makeSample(path.join(dir, 'hevc.mkv'), 'hevc-main10.mkv', 4);
  await makeSample(path.join(dir, 'plain.mp4'), 'h264-aac.mp4', 4);
  const media = await startMediaServer(t, { 'Films/hevc.mkv': await fs.readFile(path.join(dir, 'hevc.mkv')), 'Films/plain.mp4': await fs.readFile(path.join(dir, 'plain.mp4')) }, { library: { probe: true }, server: { ffmpegPath: path.join(dir, 'no-ffmpeg-here') } });
  const source = { library: media.library, castMedia: media.server.castMedia.bind(media.server), prepare: () => media.server.streams.conversions.checkFfmpeg() };
  const target = { profile: modelProfile(DEVICE_MODELS.get('chromecast-3rd-gen')!) };
  const plain = await resolvePlayable(source, 'Media/Films/plain.mp4', undefined, target);
  t.like(plain, { contentType: 'video/mp4', conversion: { mode: 'direct' } });
  const error = await t.throwsAsync(resolvePlayable(source, 'Media/Films/hevc.mkv', undefined, target), { instanceOf: UnplayableMediaError });
  t.regex(error.message, /^Cannot cast hevc\.mkv: HEVC Main 10 is not supported by Chromecast \(3rd generation\): converting the video to H\.264 180p\. That needs ffmpeg, which is not installed: install it \(Debian\/Ubuntu: sudo apt install ffmpeg/);
});

test('a file swapped for a symlink that leads outside its root after the scan is not streamed, even with its grant', async (t) => {
  const dir = await tempDir(t);
  const outside = await tempDir(t);
  await makeSample(path.join(dir, 'film.mkv'), 'h264-ac3-5.1.mkv', 4);
  await fs.copyFile(path.join(dir, 'film.mkv'), path.join(outside, 'secret.mkv'));
  const media = await startMediaServer(t, { 'Films/Film.mkv': await fs.readFile(path.join(dir, 'film.mkv')) }, { library: { probe: true, watch: false } });
  const item = media.item('Films/Film.mkv');
  await eventually(() => media.library.details(item).info !== undefined, 30_000, 'probed');
  const handed = media.server.signedMedia.castMedia(item, { profile: modelProfile(DEVICE_MODELS.get('chromecast-3rd-gen')!) });
  t.is(handed.conversion?.mode, 'audio');
  await fs.rm(item.absolutePath);
  await fs.symlink(path.join(outside, 'secret.mkv'), item.absolutePath);
  const playlist = await fetch(handed.url.replace('master.m3u8', 'media.m3u8'));
  t.is(playlist.status, 403);
  t.like(await playlist.json(), { error: 'FORBIDDEN' });
});
