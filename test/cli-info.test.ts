// `nascast info` and `nascast cast --explain`, as a user runs them against a `nascast
// serve` reaching a simulated 3rd-generation Chromecast by address.
import path from 'node:path';
import test from 'ava';
import { runCli, runToEnd } from './helpers/cli.ts';
import { makeSample } from './helpers/ffmpeg.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

test('info says what a file holds and what is done to it on each device, and why; cast --explain says it and plays the conversion', async (t) => {
  const media = await tempDir(t);
  await makeSample(path.join(media, 'Film.mkv'), 'hevc-main10.mkv', 8);
  await makeSample(path.join(media, 'Clip.mp4'), 'h264-aac.mp4', 8);
  const storage = path.join(await tempDir(t), 'config');
  const kitchen = await startSimulator(t, { name: 'Kitchen' });
  const server = runCli(t, ['serve', '--media', `Films=${media}`, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery', '--device', `Kitchen=${kitchen.host}:${kitchen.port}`]);
  await server.line(/^NasCast listening on/m);
  const run = (...args: string[]) => runToEnd(t, [...args, '--storage', storage]);
  await eventually(async () => (JSON.parse((await run('devices', '--json')).stdout || '[]') as unknown[]).length === 1, 10_000, 'the device listed');
  await eventually(async () => {
    const status = JSON.parse((await run('library', '--json')).stdout) as { probing: { probed: number; files: number } };
    return status.probing.probed === status.probing.files;
  }, 30_000, 'both files probed');

  const info = await run('info', 'Films/Film.mkv');
  t.is(info.code, 0, info.stderr);
  t.regex(info.stdout, /^Film\.mkv\n {2}matroska, 0:08/);
  t.regex(info.stdout, /\n {2}video {5}HEVC Main 10, 320x180, 25 fps, 10-bit\n {2}audio {5}AAC mono, unknown language\n/);
  t.regex(info.stdout, /\nKitchen \(Chromecast \(3rd generation\)\): NasCast converts the video\n {2}- HEVC Main 10 is not supported by Chromecast \(3rd generation\): converting the video to H\.264 180p\n$/);
  const json = JSON.parse((await run('info', 'Films/Clip.mp4', '--for', 'Kitchen', '--json')).stdout) as { decisions: Array<{ mode: string; reasons: string[] }> };
  t.like(json.decisions, [{ mode: 'direct', reasons: ['Chromecast (3rd generation) plays MP4 with H.264 High 1.2 with AAC mono as it is'] }]);
  const missing = await run('info', 'Films/Nothing.mkv');
  t.is(missing.code, 1);
  t.regex(missing.stderr, /no media file 'Films\/Nothing\.mkv' in the library/);

  const cast = await run('cast', 'Kitchen', 'Films/Film.mkv', '--explain', '--no-follow');
  t.is(cast.code, 0, cast.stderr);
  t.regex(cast.stdout, /Kitchen \(Chromecast \(3rd generation\)\): NasCast converts the video\n {2}- HEVC Main 10 is not supported/);
  t.is(kitchen.mediaStatus()?.playerState, 'PLAYING');
  t.like(kitchen.rendering(), { video: true, audio: true }, 'the simulator shows picture and sound');
  t.regex(String(kitchen.mediaStatus()?.media && (kitchen.mediaStatus()!.media as { contentId?: string }).contentId), /\/stream\/[^/]+\/[^/]+\/master\.m3u8/);
});
