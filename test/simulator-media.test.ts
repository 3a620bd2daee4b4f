import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { DEFAULT_MEDIA_RECEIVER, DefaultMediaPlayer } from '../src/cast/index.ts';
import { LoadFailedError } from '../src/errors.ts';
import { DEFAULT_DEVICE_MODEL, DEVICE_MODELS } from '../src/media/device-models.ts';
import { MediaPlayback } from '../src/simulator/media-playback.ts';
import { makeMp4 } from './helpers/ffmpeg.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { connectSession, startSimulator } from './helpers/simulator.ts';
import { startStaticServer, type StaticServer } from './helpers/static-server.ts';

type Json = Record<string, unknown>;
const run = promisify(execFile);

// The Default Media Receiver as a device: it probes what it is asked to play, plays it
// for its real length, and reports failures with the SDK's codes, then IDLE/ERROR.

async function setup(t: ExecutionContext, files: Record<string, Buffer | string> = {}, options: { selfSigned?: boolean } = {}) {
  const dir = await tempDir(t);
  await makeMp4(path.join(dir, 'clip.mp4'), { seconds: 2, faststart: true });
  for (const [name, bytes] of Object.entries(files)) await fs.writeFile(path.join(dir, name), bytes);
  const server = await startStaticServer(t, dir, options);
  const simulator = await startSimulator(t);
  const session = await connectSession(t, simulator, { requestTimeoutMs: 15_000 });
  await session.launch(DEFAULT_MEDIA_RECEIVER);
  const statuses: Json[] = [];
  session.on('media-status', (entry) => statuses.push(entry));
  return { dir, server, simulator, session, statuses };
}

const load = (session: { mediaRequest(payload: Json): Promise<Json> }, server: StaticServer, name: string, extra: Json = {}) =>
  session.mediaRequest({ type: 'LOAD', media: { contentId: `${server.origin}/${name}`, contentType: 'video/mp4', streamType: 'BUFFERED' }, ...extra });

test('a 2 s clip: LOADING, BUFFERING, PLAYING with its real duration, then IDLE FINISHED at its end; never past it', async (t) => {
  const { server, session, statuses } = await setup(t);
  const started = Date.now();
  const reply = await load(session, server, 'clip.mp4');
  t.is(reply.type, 'MEDIA_STATUS');
  const states = statuses.map((entry) => (entry.extendedStatus as Json | undefined)?.playerState ?? entry.playerState);
  t.deepEqual(states.slice(0, 3), ['LOADING', 'BUFFERING', 'PLAYING']);
  const playing = statuses[2]!;
  const duration = (playing.media as Json).duration as number;
  t.true(Math.abs(duration - 2) < 0.1, `duration ${duration}`);
  t.is(playing.supportedMediaCommands, 12303 | 64 | 128);
  t.is(statuses[0]!.playerState, 'IDLE', 'LOADING is IDLE with an extendedStatus, as devices send it');
  await eventually(() => statuses.at(-1)?.idleReason === 'FINISHED', 5000, 'FINISHED');
  const elapsed = (Date.now() - started) / 1000;
  t.true(elapsed >= 1.9 && elapsed < 4, `finished after ${elapsed} s`);
  t.is(statuses.at(-1)!.playerState, 'IDLE');
  t.true(statuses.every((entry) => (entry.currentTime as number) <= duration), 'no status is past the end');
  const status = await session.mediaRequest({ type: 'GET_STATUS' });
  t.true((((status.status as Json[])[0]!.currentTime as number) ?? 0) <= duration);
});

test('a seek past the end lands on the end; PLAY from there finishes; without autoplay the clip waits PAUSED', async (t) => {
  const { server, session, statuses } = await setup(t);
  await load(session, server, 'clip.mp4', { autoplay: false });
  t.is(statuses.at(-1)!.playerState, 'PAUSED');
  const mediaSessionId = statuses.at(-1)!.mediaSessionId;
  const sought = await session.mediaRequest({ type: 'SEEK', mediaSessionId, currentTime: 99 });
  const entry = (sought.status as Json[])[0]!;
  t.is(entry.currentTime, (entry.media as Json).duration);
  await session.mediaRequest({ type: 'SEEK', mediaSessionId, currentTime: -5 });
  t.is(statuses.at(-1)!.currentTime, 0, 'and a seek before the start on the start');
  await session.mediaRequest({ type: 'SEEK', mediaSessionId, currentTime: 99 });
  await session.mediaRequest({ type: 'PLAY', mediaSessionId });
  await eventually(() => statuses.at(-1)?.idleReason === 'FINISHED', 2000, 'FINISHED at once');
});

test('a 404: LOAD_FAILED with detailedErrorCode 104 and the item id, no invented reason, then IDLE/ERROR to everyone', async (t) => {
  const { server, session, statuses } = await setup(t);
  const reply = await load(session, server, 'missing.mp4');
  // castv2-client takes requestId off the replies it matches: what is left is all the SDK sends.
  t.deepEqual(Object.keys(reply).sort(), ['detailedErrorCode', 'itemId', 'type']);
  t.like(reply, { type: 'LOAD_FAILED', detailedErrorCode: 104 });
  t.is(typeof reply.itemId, 'number');
  await eventually(() => statuses.at(-1)?.idleReason === 'ERROR', 2000, 'IDLE/ERROR');
  t.like(statuses.at(-1), { playerState: 'IDLE', idleReason: 'ERROR', currentTime: 0 });
});

test('HTTP as a device: redirects are followed, a self-signed certificate is refused', async (t) => {
  const { server, session, statuses } = await setup(t);
  t.is((await load(session, server, 'redirect/3/clip.mp4')).type, 'MEDIA_STATUS');
  t.is(statuses.at(-1)!.playerState, 'PLAYING');
  t.true(server.requests.includes('/redirect/0/clip.mp4') && server.requests.includes('/clip.mp4'));
  t.like(await load(session, server, 'redirect/30/clip.mp4'), { type: 'LOAD_FAILED', detailedErrorCode: 104 }, 'but not forever');

  const dir = await tempDir(t);
  await makeMp4(path.join(dir, 'clip.mp4'), { seconds: 1, faststart: true });
  const tls = await startStaticServer(t, dir, { selfSigned: true });
  t.like(await load(session, tls, 'clip.mp4'), { type: 'LOAD_FAILED', detailedErrorCode: 104 });
  t.deepEqual(tls.requests, [], 'the TLS handshake failed before any request');
});

test('the body is read: a truncated file, an all-zero file and a text file named .mp4 fail with 104; a fast-start file cut short with 102', async (t) => {
  const dir = await tempDir(t);
  await makeMp4(path.join(dir, 'whole.mp4'), { seconds: 2 });
  const whole = await fs.readFile(path.join(dir, 'whole.mp4'));
  const { dir: served, server, session } = await setup(t, { 'truncated.mp4': whole.subarray(0, whole.length >> 1), 'zeros.mp4': Buffer.alloc(32 * 1024), 'text.mp4': 'not a film\n'.repeat(100) });
  for (const name of ['truncated.mp4', 'zeros.mp4', 'text.mp4']) {
    t.like(await load(session, server, name), { type: 'LOAD_FAILED', detailedErrorCode: 104 }, name);
  }
  // Cut short after its index (fast start): its metadata loads, its samples do not.
  const clip = await fs.readFile(path.join(served, 'clip.mp4'));
  await fs.writeFile(path.join(served, 'cut.mp4'), clip.subarray(0, Math.floor(clip.length * 0.7)));
  t.like(await load(session, server, 'cut.mp4'), { type: 'LOAD_FAILED', detailedErrorCode: 102 });
  t.is((await load(session, server, 'clip.mp4')).type, 'MEDIA_STATUS', 'the whole one plays');
});

test('stream volume on the media namespace is the stream’s, not the device’s', async (t) => {
  const { server, simulator, session, statuses } = await setup(t);
  await load(session, server, 'clip.mp4', { autoplay: false });
  const mediaSessionId = statuses.at(-1)!.mediaSessionId;
  const device = simulator.volume;
  const reply = await session.mediaRequest({ type: 'SET_VOLUME', mediaSessionId, volume: { level: 0.3 } });
  t.deepEqual((reply.status as Json[])[0]!.volume, { level: 0.3, muted: false });
  await session.mediaRequest({ type: 'SET_VOLUME', mediaSessionId, volume: { muted: true } });
  t.deepEqual(statuses.at(-1)!.volume, { level: 0.3, muted: true }, 'muting keeps the level');
  t.deepEqual(simulator.volume, device, 'the device volume did not move');
  await t.throwsAsync(session.mediaRequest({ type: 'SET_VOLUME', mediaSessionId, volume: {} }), { message: /INVALID_PARAMS/ }, 'a volume request must set a level or muted');
});

test('the failNextLoad fault and a superseded LOAD answer as the SDK does; NasCast says what the code means', async (t) => {
  const { server, simulator, session } = await setup(t);
  simulator.failNextLoad('MEDIA_DECODE');
  t.like(await load(session, server, 'clip.mp4'), { type: 'LOAD_FAILED', detailedErrorCode: 102 });
  const [first, second] = await Promise.all([load(session, server, 'clip.mp4'), load(session, server, 'clip.mp4')]);
  t.like(first, { type: 'LOAD_CANCELLED', detailedErrorCode: 904 });
  t.is(second.type, 'MEDIA_STATUS');

  const player = new DefaultMediaPlayer(session);
  const error = await t.throwsAsync(player.load({ url: `${server.origin}/missing.mp4`, contentType: 'video/mp4' }), { instanceOf: LoadFailedError });
  t.is(error.detailedErrorCode, 104);
  t.regex(error.message, /could not fetch the file, or cannot play its format or codecs \(MEDIA_SRC_NOT_SUPPORTED, 104\)/);
  t.is(player.status().state, 'ERROR');
  t.is(player.status().error, error.reason, 'the IDLE/ERROR after it keeps the words');
});

test('HLS: the playlist and its first segment are probed; the duration is the playlist’s; a missing playlist is 311', async (t) => {
  const dir = await tempDir(t);
  await makeMp4(path.join(dir, 'source.mp4'), { seconds: 3, faststart: true });
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', path.join(dir, 'source.mp4'), '-c', 'copy', '-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'vod', path.join(dir, 'stream.m3u8')]);
  const server = await startStaticServer(t, dir);
  const simulator = await startSimulator(t);
  const session = await connectSession(t, simulator, { requestTimeoutMs: 15_000 });
  await session.launch(DEFAULT_MEDIA_RECEIVER);
  const hls = (name: string) => session.mediaRequest({ type: 'LOAD', media: { contentId: `${server.origin}/${name}`, contentType: 'application/vnd.apple.mpegurl', streamType: 'BUFFERED' } });
  const reply = await hls('stream.m3u8');
  t.is(reply.type, 'MEDIA_STATUS');
  const entry = (reply.status as Json[])[0]!;
  t.is(entry.playerState, 'PLAYING');
  t.true(Math.abs(((entry.media as Json).duration as number) - 3) < 0.2);
  t.true(server.requests.some((request) => request.endsWith('.ts')), 'a segment was fetched');
  t.like(await hls('nowhere.m3u8'), { type: 'LOAD_FAILED', detailedErrorCode: 311 });
});

test('with no ffprobe where it is told to look, a load fails with 905 LOAD_FAILED rather than pass unprobed', async (t) => {
  const dir = await tempDir(t);
  await makeMp4(path.join(dir, 'clip.mp4'), { seconds: 1, faststart: true });
  const server = await startStaticServer(t, dir);
  const playback = new MediaPlayback({ model: DEVICE_MODELS.get(DEFAULT_DEVICE_MODEL)!, ffprobePath: path.join(dir, 'no-ffprobe'), changed: () => {}, error: () => {}, takeLoadFailure: () => undefined });
  t.teardown(() => playback.close());
  t.like(await playback.load([{ media: { contentId: `${server.origin}/clip.mp4` } }], 0, true), { ok: false, type: 'LOAD_FAILED', detailedErrorCode: 905 });
  t.is(playback.rendering(), undefined);
});
