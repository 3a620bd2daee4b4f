// Watch history end to end: NasCast follows a simulated Chromecast's status, and the
// next load resumes; a finished episode moves the series on.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { ControlClient } from '../src/control/client.ts';
import { NasCast } from '../src/nascast.ts';
import { film } from './helpers/ffmpeg.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

const secrets = () => ({ token: randomBytes(24).toString('base64url'), signingKey: randomBytes(32) });

test('a film resumes where it was left, from the status the device sent; startAt 0 starts over; continue lists it', async (t) => {
  const dir = await tempDir(t);
  await fs.mkdir(path.join(dir, 'Films'));
  await fs.writeFile(path.join(dir, 'Films', 'Long Film (2019).mp4'), await film());
  const tv = await startSimulator(t, { name: 'Living Room TV' });
  const keys = secrets();
  const cast = new NasCast({ media: [{ name: 'Films', path: path.join(dir, 'Films') }], port: 0, host: '127.0.0.1', secrets: keys, storage: await tempDir(t, 'nascast-storage-'), discovery: false, devices: [{ host: tv.host, port: tv.port, name: tv.name }], rescanInterval: 0 });
  t.teardown(() => cast.stop());
  await cast.start();
  await eventually(() => cast.devices().length === 1, 5000, 'the device listed');
  const item = cast.library.folder('Films')!.items[0]!;
  const player = await cast.player(tv.name);

  await player.load(item);
  await player.seek(1200);
  await player.pause();
  // The hub's status reached the history: a pause is written at once.
  await eventually(() => (cast.library.watched(item)?.position ?? 0) >= 1200, 5000, 'the position recorded');
  t.false(cast.library.watched(item)!.finished);
  t.deepEqual(cast.library.continueWatching().map((entry) => entry.id), [item.id]);
  const client = new ControlClient({ url: cast.control.url(), token: keys.token });
  t.teardown(() => client.close());
  const listed = (await client.continueWatching()) as { items: Array<{ id: string; watched: { position: number; finished: boolean } }> };
  t.like(listed.items[0], { id: item.id, watched: { position: 1200, finished: false } });

  await player.stop();
  await player.load(item);
  const resumed = tv.mediaStatus()?.currentTime as number;
  t.true(resumed >= 1190 && resumed <= 1200, `resumed at ${resumed} (5 s before where it was left)`);

  await player.load(item, { startAt: 0 });
  t.true((tv.mediaStatus()?.currentTime as number) < 5, 'startAt 0 starts over');

  // Through the control channel too: no startAt resumes.
  await player.seek(1500);
  await player.pause();
  await eventually(() => (cast.library.watched(item)?.position ?? 0) >= 1500, 5000, 'the new position recorded');
  await client.play(tv.name, { media: item.id });
  const again = tv.mediaStatus()?.currentTime as number;
  t.true(again >= 1490 && again <= 1500, `resumed at ${again} through the control channel`);
});

test('the next episode: the first unfinished one after the last finished; a finish is seen from the device', async (t) => {
  const dir = await tempDir(t);
  const season = path.join(dir, 'Series', 'My Show', 'Season 1');
  await fs.mkdir(season, { recursive: true });
  const bytes = await film();
  for (const episode of ['My Show S01E01.mp4', 'My Show S01E02.mp4', 'My Show S01E03.mp4']) await fs.writeFile(path.join(season, episode), bytes);
  const tv = await startSimulator(t, { name: 'Den' });
  const cast = new NasCast({ media: [{ name: 'Series', path: path.join(dir, 'Series') }], port: 0, host: '127.0.0.1', secrets: secrets(), discovery: false, devices: [{ host: tv.host, port: tv.port, name: tv.name }], rescanInterval: 0 });
  t.teardown(() => cast.stop());
  await cast.start();
  await eventually(() => cast.devices().length === 1, 5000, 'the device listed');
  const show = cast.library.folder('Series/My Show')!;
  const [e01, e02] = cast.library.folder('Series/My Show/Season 1')!.items;
  t.is(cast.library.nextEpisode(show)?.id, e01!.id, 'nothing watched: the first episode');

  // Played to 95 % on the device: finished.
  const player = await cast.player(tv.name);
  await player.load(e01!);
  await player.seek(3420);
  await player.pause();
  await eventually(() => cast.library.watched(e01!)?.finished === true, 5000, 'E01 finished');
  t.is(cast.library.nextEpisode(show)?.id, e02!.id);
  t.deepEqual(cast.library.continueWatching(), [], 'a finished episode is not "continue watching"');
});
