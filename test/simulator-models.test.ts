import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { DEVICE_MODELS, type DeviceModelId } from '../src/media/device-models.ts';
import { DefaultMediaPlayer } from '../src/cast/index.ts';
import { MediaPlayback } from '../src/simulator/media-playback.ts';
import { makePng, makeSample, SAMPLES, type SampleName } from './helpers/ffmpeg.ts';
import { connectSession, startSimulator } from './helpers/simulator.ts';
import { startStaticServer } from './helpers/static-server.ts';

// The same files on every model give what Google's table (src/media/device-models.ts) says:
// both picture and sound, sound only (a video codec it does not decode), picture only (an
// audio codec it does not decode: AC3 has no passthrough), or a load that fails with 104
// MEDIA_SRC_NOT_SUPPORTED (MKV is not a listed container; nothing decodable).
type Outcome = 'both' | 'sound' | 'picture' | 104;

const EXPECTED: Record<SampleName, Record<DeviceModelId, Outcome>> = {
  'h264-aac.mp4': row('both', { audio: 'sound', group: 'sound' }),
  'hevc-main10.mkv': row(104),
  'vp9-opus.webm': row('both', { 'chromecast-1st-2nd-gen': 'sound', 'chromecast-3rd-gen': 'sound', audio: 'sound', group: 'sound' }),
  'h264-ac3-5.1.mkv': row(104),
  'h264-aac.ts': row('both', { audio: 'sound', group: 'sound' }),
  'h264-ac3-5.1.mp4': row('picture', { audio: 104, group: 104 }),
  'hevc-main10.mp4': row('sound', { 'chromecast-ultra': 'both', 'chromecast-google-tv': 'both', 'google-tv-streamer': 'both' }),
};

function row(outcome: Outcome, except: Partial<Record<DeviceModelId, Outcome>> = {}): Record<DeviceModelId, Outcome> {
  return Object.fromEntries([...DEVICE_MODELS.keys()].map((id) => [id, except[id] ?? outcome])) as Record<DeviceModelId, Outcome>;
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nascast-models-'));
test.after.always(() => fs.rm(dir, { recursive: true, force: true }));
const made = Promise.all(Object.keys(SAMPLES).map((name) => makeSample(path.join(dir, name), name as SampleName)));

for (const name of Object.keys(SAMPLES) as SampleName[]) {
  test(`${name} on each model`, async (t) => {
    await made;
    const server = await startStaticServer(t, dir);
    const got: Record<string, Outcome> = {};
    for (const model of DEVICE_MODELS.values()) {
      const playback = new MediaPlayback({ model, changed: () => {}, error: () => {}, takeLoadFailure: () => undefined });
      t.teardown(() => playback.close());
      const outcome = await playback.load([{ media: { contentId: `${server.origin}/${name}`, contentType: 'video/mp4' } }], 0, true);
      const rendering = playback.rendering();
      if (!outcome.ok) got[model.id] = outcome.type === 'LOAD_FAILED' ? (outcome.detailedErrorCode as Outcome) : (outcome.type as never);
      else got[model.id] = rendering?.video && rendering.audio ? 'both' : rendering?.video ? 'picture' : 'sound';
      if (outcome.ok) t.is(rendering!.reasons.length, got[model.id] === 'both' ? 0 : 1, `${model.id}: ${rendering!.reasons.join('; ')}`);
      playback.close();
    }
    t.deepEqual(got, EXPECTED[name]);
  });
}

test('a photo shows on the models with a screen and fails with 104 on those without', async (t) => {
  await made;
  await makePng(path.join(dir, 'photo.png'), 320, 180);
  const server = await startStaticServer(t, dir);
  for (const model of DEVICE_MODELS.values()) {
    const playback = new MediaPlayback({ model, changed: () => {}, error: () => {}, takeLoadFailure: () => undefined });
    t.teardown(() => playback.close());
    const outcome = await playback.load([{ media: { contentId: `${server.origin}/photo.png`, contentType: 'image/png' } }], 0, true);
    if (model.castType === 'video') t.deepEqual(playback.rendering(), { video: true, audio: false, reasons: [] }, model.id);
    else t.like(outcome, { ok: false, type: 'LOAD_FAILED', detailedErrorCode: 104 }, model.id);
    playback.close();
  }
});

test('over castv2, as a sender sees it: HEVC Main 10 plays as sound only on the default model (3rd generation), with picture and sound on an Ultra; the simulator says which', async (t) => {
  await made;
  const server = await startStaticServer(t, dir);
  const media = { url: `${server.origin}/hevc-main10.mp4`, contentType: 'video/mp4', title: 'HEVC' };
  for (const [model, expected] of [[undefined, { video: false, audio: true }], ['chromecast-ultra', { video: true, audio: true }]] as const) {
    const tv = await startSimulator(t, model ? { model } : {});
    const player = new DefaultMediaPlayer(await connectSession(t, tv));
    // PLAYING either way, as a device reports it: the sound plays on a black screen.
    t.is((await player.load(media)).state, 'PLAYING');
    t.like(tv.rendering(), expected, tv.deviceModel.name);
    t.is(Math.round(Number((tv.mediaStatus()?.media as { duration?: number } | undefined)?.duration)), 1, "the real duration");
  }
});
