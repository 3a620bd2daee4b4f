import test from 'ava';
import { DefaultMediaPlayer, type CastMedia } from '../src/cast/index.ts';
import { ControlError, NoMediaSessionError, QueueEndError } from '../src/errors.ts';
import { folderQueue, resolvePlayable } from '../src/media/resolve.ts';
import type { Json, TestSocket } from './helpers/control.ts';
import { film } from './helpers/ffmpeg.ts';
import { eventually, patternBytes, startMediaServer } from './helpers/media-server.ts';
import { screenSetup } from './helpers/screen.ts';
import { connectSession, startSimulator } from './helpers/simulator.ts';

// The Default Media Receiver test plays these two: real media, as a device probes it.
const films = await film();
const LONG_PATH = 'Series/The Long Show Name (2019)/Season 01/The Long Show Name (2019) - S01E01 - A Rather Long Episode Title That Keeps Going [WEBDL-1080p][EAC3 5.1][h264]-GROUP.mp4';

const files = {
  [LONG_PATH]: patternBytes(4096),
  'Shows/Serial/Season 10/Serial S10E01.mp4': patternBytes(1024),
  'Shows/Serial/Season 2/Serial S02E01.mp4': films,
  'Shows/Serial/Season 2/Serial S02E02.mp4': films,
  'Shows/Serial/Season 1/Serial S01E01.mp4': patternBytes(1024),
  'Mixed/Broken.mp4': patternBytes(512),
  'Mixed/Fine.mp4': patternBytes(512),
  'Photos/1 Beach.jpg': patternBytes(256),
  'Photos/2 Dunes.jpg': patternBytes(256),
};

function report(screen: TestSocket, load: Json, state: string, error?: string): void {
  screen.send({ type: 'status', state, position: 0, volume: 1, muted: false, media: { url: load.url, title: load.title }, ...(error ? { error } : {}) });
}

async function nthLoad(loads: Json[], n: number, ms = 5000): Promise<Json> {
  await eventually(() => loads.length >= n, ms, `load number ${n}`);
  return loads[n - 1]!;
}

test('a show folder that holds only season folders plays its episodes in season order', async (t) => {
  const { library } = await startMediaServer(t, files, { library: { watch: false } });
  const show = library.folder('Media/Shows/Serial')!;
  t.deepEqual(folderQueue(show).map((item) => item.name), ['Serial S01E01.mp4', 'Serial S02E01.mp4', 'Serial S02E02.mp4', 'Serial S10E01.mp4']);
  const queue = await resolvePlayable({ library, castMedia: (item) => ({ url: item.id, contentType: item.mime, title: item.title }) }, 'Media/Shows', undefined);
  t.is((queue as CastMedia[]).length, 4, 'a folder of shows too');
});

test('a library path longer than 128 characters plays by the path that ls prints', async (t) => {
  const { client, loads } = await screenSetup(t, files);
  t.true(`Media/${LONG_PATH}`.length > 142);
  const played = await client.play('Screen', { media: `Media/${LONG_PATH}` });
  t.like(played, { items: 1 });
  // The title is the episode's own, from its name (release noise removed).
  t.is((await nthLoad(loads, 1)).title, 'A Rather Long Episode Title That Keeps Going');
});

test('play all goes past an item that cannot play, with a notice', async (t) => {
  const { client, screen, loads, logger } = await screenSetup(t, files);
  await client.play('Screen', { media: 'Media/Mixed' });
  const broken = await nthLoad(loads, 1);
  t.is(broken.title, 'Broken');
  report(screen, broken, 'ERROR', 'the format is not supported');
  t.is((await nthLoad(loads, 2)).title, 'Fine');
  t.true(logger.at('warn').includes('browser:screen: Broken cannot play (the format is not supported); skipping to the next item'));
});

test('a photo folder advances by itself after the photo time', async (t) => {
  const { client, screen, loads } = await screenSetup(t, files);
  await client.play('Screen', { media: 'Media/Photos', photoSeconds: 1 });
  const first = await nthLoad(loads, 1);
  t.is(first.kind, 'image');
  const shown = Date.now();
  report(screen, first, 'PLAYING');
  t.is((await nthLoad(loads, 2, 5000)).title, '2 Dunes');
  t.true(Date.now() - shown >= 900, 'the first photo showed for its time');
});

test('next and prev say what is true on a receiver: nothing loaded, or the end of the queue', async (t) => {
  const { client, screen, loads } = await screenSetup(t, files);
  const nothing = await t.throwsAsync(client.next('Screen'), { instanceOf: ControlError });
  t.like(nothing, { code: 'BAD_REQUEST', message: 'Nothing is loaded on the device, so next cannot apply' });
  await client.play('Screen', { media: 'Media/Mixed/Fine.mp4' });
  report(screen, await nthLoad(loads, 1), 'PLAYING');
  const last = await t.throwsAsync(client.next('Screen'), { instanceOf: ControlError });
  t.like(last, { code: 'BAD_REQUEST', message: 'There is no next item: this is the last one in the queue' });
});

test('next and prev say what is true on the Default Media Receiver: nothing loaded, or the end of the queue', async (t) => {
  const media = await startMediaServer(t, files, { library: { watch: false } });
  const simulator = await startSimulator(t);
  const session = await connectSession(t, simulator);
  const player = new DefaultMediaPlayer(session);
  const episode = (name: string): CastMedia => media.server.castMedia(media.item(`Shows/Serial/Season 2/${name}`));
  await player.load([episode('Serial S02E01.mp4'), episode('Serial S02E02.mp4')]);
  await t.throwsAsync(player.prev(), { instanceOf: QueueEndError, message: 'There is no previous item: this is the first one in the queue' });
  await player.next();
  await t.throwsAsync(player.next(), { instanceOf: QueueEndError, message: 'There is no next item: this is the last one in the queue' });
  await player.stop();
  await t.throwsAsync(player.next(), { instanceOf: NoMediaSessionError, message: 'Nothing is loaded on the device, so next cannot apply' });
});
