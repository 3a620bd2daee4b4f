import fs from 'node:fs/promises';
import test, { type ExecutionContext } from 'ava';
import type { SimulatorOptions } from '../src/simulator/index.ts';
import { CastSession, DEFAULT_MEDIA_RECEIVER, DefaultMediaPlayer, openReceiver, type CastMedia, type CastSessionOptions } from '../src/cast/index.ts';
import { LoadFailedError, NoMediaSessionError } from '../src/errors.ts';
import { film } from './helpers/ffmpeg.ts';
import { eventually, startMediaServer } from './helpers/media-server.ts';
import { connectSession, nextEvent, startSimulator } from './helpers/simulator.ts';

// Real media: the simulator probes what it is asked to play, as a device does.
const films = await film();
const files = {
  'Series/Episode 1.mp4': films,
  'Series/Episode 2.mp4': films,
  'Music/Song.mp3': await fs.readFile(new URL('../examples/media/Music/Tone 440 Hz.mp3', import.meta.url)),
  'Films/Film.mp4': films,
  'Films/Film.en.srt': '1\n00:00:01,000 --> 00:00:02,000\nHello\n',
  'Films/Film.fr.vtt': 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nBonjour\n',
  'Show/Season 1/Show.S01E02.The.Pilot.1080p.WEB-DL.DDP5.1.H.264-NTb.mp4': films,
  'Artist/Album/03 - Song.mp3': await fs.readFile(new URL('../examples/media/Music/Tone 440 Hz.mp3', import.meta.url)),
};

async function castSetup(t: ExecutionContext, simulatorOptions: SimulatorOptions = {}, sessionOptions: Partial<CastSessionOptions> = {}) {
  const media = await startMediaServer(t, files, { library: { watch: false } });
  const simulator = await startSimulator(t, simulatorOptions);
  const session = await connectSession(t, simulator, sessionOptions);
  const asCast = (relative: string, duration?: number): CastMedia => ({ ...media.server.castMedia(media.item(relative)), ...(duration ? { duration } : {}) });
  return { media, simulator, session, asCast };
}

test('the cast flow through castv2-client: launch, LOAD a real file, pause, seek, volume, mute, next, stop', async (t) => {
  const { simulator, session, asCast } = await castSetup(t);
  const player = new DefaultMediaPlayer(session);
  const result = await player.load([asCast('Series/Episode 1.mp4', 1200), asCast('Series/Episode 2.mp4', 1300)]);
  t.is(result.state, 'PLAYING');
  t.is(simulator.runningApp, DEFAULT_MEDIA_RECEIVER);
  t.is(player.status().media?.title, 'Episode 1');

  await player.pause();
  t.is(player.status().state, 'PAUSED');
  t.is(simulator.mediaStatus()?.playerState, 'PAUSED');
  await player.seek(600);
  t.true(Math.abs(player.status().position - 600) < 1);
  await player.play();
  t.is(simulator.mediaStatus()?.playerState, 'PLAYING');

  await player.setVolume(0.25);
  t.is(simulator.volume.level, 0.25);
  await player.setMuted(true);
  t.true(simulator.volume.muted);
  t.true(player.status().muted);

  await player.next();
  await eventually(() => player.status().media?.title === 'Episode 2' && player.status().state === 'PLAYING', 5000, 'episode 2 playing');
  await player.prev();
  await eventually(() => player.status().media?.title === 'Episode 1', 5000, 'back to episode 1');

  await player.stop();
  t.is(player.status().state, 'IDLE');
  t.is(simulator.mediaStatus()?.playerState, 'IDLE');
});

test('LOAD sends the type, title, metadata and the WebVTT tracks of the library; the chosen language is shown', async (t) => {
  const { media, simulator, session, asCast } = await castSetup(t);
  const player = new DefaultMediaPlayer(session);
  await player.load(asCast('Films/Film.mp4', 5400), { subtitles: 'fr', startAt: 60 });
  const status = simulator.mediaStatus() as { media: Record<string, unknown>; activeTrackIds: number[]; currentTime: number };
  // The duration is the file's (an hour), not the one the sender sent: the device reads it.
  t.like(status.media, { contentType: 'video/mp4', streamType: 'BUFFERED', duration: 3600, metadata: { type: 1, metadataType: 1, title: 'Film' } });
  const tracks = status.media.tracks as Array<{ trackId: number; type: string; trackContentType: string; language: string; trackContentId: string }>;
  t.deepEqual(tracks.map((track) => [track.type, track.trackContentType, track.language]), [['TEXT', 'text/vtt', 'en'], ['TEXT', 'text/vtt', 'fr']]);
  t.deepEqual(status.activeTrackIds, [tracks.find((track) => track.language === 'fr')!.trackId]);
  t.true(status.currentTime >= 60);
  // The device can fetch every track with no header, and gets WebVTT (the .srt converted).
  for (const track of tracks) {
    const url = new URL(track.trackContentId);
    const response = await fetch(`${media.origin}${url.pathname}${url.search}`);
    t.is(response.status, 200);
    t.regex(response.headers.get('content-type') ?? '', /^text\/vtt/);
    t.regex(await response.text(), track.language === 'en' ? /^WEBVTT[\s\S]*00:00:01\.000 --> 00:00:02\.000\nHello/ : /Bonjour/);
  }
});

test('LOAD carries what the names say: TvShow metadata for an episode, MusicTrack for a song', async (t) => {
  const { simulator, session, asCast } = await castSetup(t);
  const player = new DefaultMediaPlayer(session);
  await player.load(asCast('Show/Season 1/Show.S01E02.The.Pilot.1080p.WEB-DL.DDP5.1.H.264-NTb.mp4'));
  // CAF's TvShowMediaMetadata (metadataType 2), as the device received it.
  const episode = (simulator.mediaStatus() as { media: { metadata: { images: Array<{ url: string }> } } }).media.metadata;
  const { images, ...fields } = episode;
  t.deepEqual(fields, { type: 2, metadataType: 2, title: 'The Pilot', seriesTitle: 'Show', season: 1, episode: 2 });
  t.regex(images[0]!.url, /^http:\/\/[\d.]+:\d+\/artwork\/[\w-]{22}\?size=large&g=/, 'its artwork, for phones and the Google Home app');
  t.is(player.status().media?.title, 'The Pilot');
  await player.load(asCast('Artist/Album/03 - Song.mp3'));
  t.like((simulator.mediaStatus() as { media: { metadata: unknown } }).media.metadata, { type: 3, metadataType: 3, title: 'Song', artist: 'Artist', albumName: 'Album', trackNumber: 3 });
});

test('a LOAD the device cannot fetch fails with its detailed error code in words, and a forced failure reports its own', async (t) => {
  const { media, simulator, session, asCast } = await castSetup(t);
  const player = new DefaultMediaPlayer(session);
  const gone = { ...asCast('Music/Song.mp3'), url: `${media.origin}/media/unknown?g=1.x` };
  const error = await t.throwsAsync(player.load(gone), { instanceOf: LoadFailedError });
  // The server refuses the unknown id; the media element's one word for that is 104.
  t.is(error.detailedErrorCode, 104);
  t.regex(error.reason, /could not fetch the file, or cannot play its format or codecs \(MEDIA_SRC_NOT_SUPPORTED, 104\)$/);
  t.is(player.status().state, 'ERROR');

  simulator.failNextLoad('MEDIA_DECODE');
  const forced = await t.throwsAsync(player.load(asCast('Music/Song.mp3')), { instanceOf: LoadFailedError });
  t.is(forced.detailedErrorCode, 102);
  t.regex(forced.reason, /\(MEDIA_DECODE, 102\)$/);
  // The next one plays again.
  t.is((await player.load(asCast('Music/Song.mp3'))).state, 'PLAYING');
});

test('commands with nothing loaded get NoMediaSessionError instead of castv2-client throwing', async (t) => {
  const { session } = await castSetup(t);
  const player = new DefaultMediaPlayer(session);
  await t.throwsAsync(player.pause(), { instanceOf: NoMediaSessionError });
  await session.launch(DEFAULT_MEDIA_RECEIVER);
  await t.throwsAsync(player.seek(10), { instanceOf: NoMediaSessionError });
});

test('a refused launch of our app falls back to the Default Media Receiver and says why', async (t) => {
  const { simulator, session, asCast } = await castSetup(t, { refuseApps: ['ABCD1234'] });
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} };
  const opened = await openReceiver(session, { appId: 'ABCD1234', logger });
  t.is(opened.kind, 'default');
  if (opened.kind !== 'default') return;
  t.regex(opened.fallbackReason ?? '', /not available/);
  t.regex(warnings.join('\n'), /ABCD1234/);
  t.is((await opened.player.load(asCast('Series/Episode 1.mp4'))).state, 'PLAYING');
  t.is(simulator.runningApp, DEFAULT_MEDIA_RECEIVER);
});

test('a launch refused with LAUNCH_ERROR (the app looked available) also falls back', async (t) => {
  const { simulator, session } = await castSetup(t, { apps: ['FEED0001'] });
  // Available when asked, refused at launch: the device changed its mind in between.
  const original = session.isAppAvailable.bind(session);
  session.isAppAvailable = async (appId) => {
    const available = await original(appId);
    simulator.refuseLaunch(appId);
    return available;
  };
  const opened = await openReceiver(session, { appId: 'FEED0001' });
  t.is(opened.kind, 'default');
  t.regex(opened.kind === 'default' ? (opened.fallbackReason ?? '') : '', /NOT_FOUND/);
});

test('our app launches and receives the control-channel hand-over on its namespace', async (t) => {
  const { simulator, session } = await castSetup(t, { apps: ['FEED0002'] });
  const message = nextEvent<[{ namespace: string; data: unknown }]>(simulator, 'app-message');
  const opened = await openReceiver(session, { appId: 'FEED0002', handover: { url: 'ws://192.0.2.1:8585/control', token: 'receiver-token', device: 'tv-1' } });
  t.is(opened.kind, 'custom');
  const [received] = await message;
  t.is(received.namespace, 'urn:x-cast:io.nascast.control');
  t.deepEqual(received.data, { type: 'connect', url: 'ws://192.0.2.1:8585/control', token: 'receiver-token', device: 'tv-1' });
});

for (const fault of ['disconnect', 'restart'] as const) {
  test(`after ${fault}() the session reconnects, re-joins the app and resumes control`, async (t) => {
    const { simulator, session, asCast } = await castSetup(t);
    const player = new DefaultMediaPlayer(session);
    await player.load(asCast('Series/Episode 1.mp4', 1200));
    const reconnected = nextEvent(session, 'reconnected');
    if (fault === 'disconnect') simulator.disconnect();
    else await simulator.restart();
    await reconnected;
    t.is(session.state, 'connected');
    t.is(session.app?.appId, DEFAULT_MEDIA_RECEIVER);
    await player.pause();
    t.is(simulator.mediaStatus()?.playerState, 'PAUSED');
  });
}

test('hang() is detected within the PONG deadline, and control resumes once the device answers again', async (t) => {
  const { simulator, session, asCast } = await castSetup(t, {}, { heartbeatIntervalMs: 200, pongTimeoutMs: 1000 });
  const player = new DefaultMediaPlayer(session);
  await player.load(asCast('Series/Episode 1.mp4', 1200));
  const started = Date.now();
  const lost = nextEvent(session, 'state', 3000);
  simulator.hang();
  const [state] = await lost;
  t.is(state, 'reconnecting');
  // The deadline is 1,000 ms of silence checked every 200 ms; the slack is for a loaded CI machine.
  t.true(Date.now() - started < 1000 + 200 + 1000, `detected after ${Date.now() - started} ms`);
  const reconnected = nextEvent(session, 'reconnected');
  simulator.resume();
  await reconnected;
  await player.pause();
  t.is(simulator.mediaStatus()?.playerState, 'PAUSED');
});

test('a device that cannot be reached rejects connect() with ERR_DEVICE_UNAVAILABLE, and a later connect() tries again', async (t) => {
  const simulator = await startSimulator(t);
  const port = simulator.port;
  await simulator.stop();
  const session = new CastSession({ host: '127.0.0.1', port });
  t.teardown(() => session.close());
  await t.throwsAsync(session.connect(), { code: 'ERR_DEVICE_UNAVAILABLE' });
  t.is(session.state, 'idle');
  await startSimulator(t, { port });
  await session.connect();
  t.is(session.state, 'connected');
});

test('two connect() calls at once share one connection, and both resolve once it is up', async (t) => {
  const simulator = await startSimulator(t);
  const session = new CastSession({ host: simulator.host, port: simulator.port });
  t.teardown(() => session.close());
  const first = session.connect();
  t.is(session.state, 'connecting');
  await session.connect();
  t.is(session.state, 'connected', 'the second caller waited for the first connection');
  await first;
});

test('launching and stopping the receiver again and again leaks no channel on the connection; closing the session leaves the media playing', async (t) => {
  const { simulator, session, asCast } = await castSetup(t);
  const player = new DefaultMediaPlayer(session);
  // Each channel left open keeps a 'message' listener on castv2's client: eleven of them make Node warn.
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  t.teardown(() => process.off('warning', onWarning));
  for (let round = 0; round < 15; round++) {
    await player.load(asCast('Films/Film.mp4'));
    await session.stopApp();
    t.is(simulator.runningApp, undefined);
  }
  await player.load(asCast('Films/Film.mp4'));
  await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  t.deepEqual(warnings.filter((warning) => warning.includes('MaxListeners')), []);

  session.close();
  await eventually(() => simulator.connectionCount === 0, 5000, 'the session gone from the device');
  t.is(simulator.mediaStatus()?.playerState, 'PLAYING', 'leaving sent no media STOP');
});
