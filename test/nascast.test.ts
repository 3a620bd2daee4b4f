import { randomBytes } from 'node:crypto';
import test from 'ava';
import { ControlClient } from '../src/control/client.ts';
import { NasCast } from '../src/nascast.ts';
import type { PlayerStatus } from '../src/cast/player.ts';
import { makeMp4 } from './helpers/ffmpeg.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';
import path from 'node:path';
import fs from 'node:fs/promises';

const secrets = () => ({ token: randomBytes(24).toString('base64url'), signingKey: randomBytes(32) });

test('two NasCast instances on two ports each play to their own device, and say when used before start()', async (t) => {
  const dir = await tempDir(t);
  await fs.mkdir(path.join(dir, 'Films'));
  await makeMp4(path.join(dir, 'Films', 'Clip.mp4'), { seconds: 5, faststart: true });
  const tvs = await Promise.all(['Kitchen', 'Den'].map((name) => startSimulator(t, { name })));
  const instances = tvs.map(
    (tv) => new NasCast({ media: [{ name: 'Films', path: path.join(dir, 'Films') }], port: 0, host: '127.0.0.1', secrets: secrets(), discovery: false, devices: [{ host: tv.host, port: tv.port, name: tv.name }], rescanInterval: 0 }),
  );
  t.throws(() => instances[0]!.library, { code: 'ERR_NOT_STARTED' });
  t.throws(() => instances[0]!.devices(), { code: 'ERR_NOT_STARTED' });
  for (const nascast of instances) t.teardown(() => nascast.stop());
  await Promise.all(instances.map((nascast) => nascast.start()));
  t.not(instances[0]!.server.port, instances[1]!.server.port);

  for (const [index, nascast] of instances.entries()) {
    const name = tvs[index]!.name;
    await eventually(() => nascast.devices().some((device) => device.name === name), 5000, `${name} listed`);
    t.deepEqual(nascast.devices().map((device) => device.name), [name], 'each instance sees only its own device');
    const statuses: PlayerStatus[] = [];
    nascast.on('status', (_device, status) => statuses.push(status));
    const player = await nascast.player(name);
    const clip = nascast.library.folder('Films')!.items[0]!;
    await player.load(nascast.media(clip));
    t.is(tvs[index]!.mediaStatus()?.playerState, 'PLAYING');
    await player.pause();
    await eventually(() => statuses.at(-1)?.state === 'PAUSED', 5000, 'PAUSED status event');
  }
  t.is(tvs[0]!.mediaStatus()?.playerState, 'PAUSED');
  t.is(tvs[1]!.mediaStatus()?.playerState, 'PAUSED');
  await t.throwsAsync(instances[0]!.player('Den'), { message: /no device named 'Den'; found: Kitchen/ });
});

test('NasCast.player() and ControlClient.player() take the same calls: items, folders, paths and ids; status follows', async (t) => {
  const dir = await tempDir(t);
  await fs.mkdir(path.join(dir, 'Films', 'Cartoons'), { recursive: true });
  await makeMp4(path.join(dir, 'Films', 'Big Buck Bunny.mp4'), { seconds: 5, faststart: true });
  await fs.writeFile(path.join(dir, 'Films', 'Big Buck Bunny.en.srt'), '1\n00:00:01,000 --> 00:00:02,000\nHello\n');
  for (const episode of ['Episode 1', 'Episode 2']) await fs.copyFile(path.join(dir, 'Films', 'Big Buck Bunny.mp4'), path.join(dir, 'Films', 'Cartoons', `${episode}.mp4`));
  const tv = await startSimulator(t, { name: 'Living Room TV' });
  const keys = secrets();
  const cast = new NasCast({ media: [{ name: 'Films', path: path.join(dir, 'Films') }], port: 0, host: '127.0.0.1', secrets: keys, discovery: false, devices: [{ host: tv.host, port: tv.port, name: tv.name }], rescanInterval: 0 });
  t.teardown(() => cast.stop());
  await cast.start();
  await eventually(() => cast.devices().length === 1, 5000, 'the device listed');

  // In process: a library item with subtitles, a folder as a queue, a path.
  const local = await cast.player('living room tv');
  const seen: PlayerStatus[] = [];
  const onStatus = (status: PlayerStatus): void => void seen.push(status);
  local.on('status', onStatus);
  await local.load(cast.library.find('Big Buck Bunny')!, { subtitles: 'en' });
  t.is((tv.mediaStatus()?.media as { metadata: { title: string } }).metadata.title, 'Big Buck Bunny');
  t.deepEqual(tv.mediaStatus()?.activeTrackIds, [1], 'the English track is on');
  await local.load(cast.library.folder('Films/Cartoons')!);
  t.is((tv.mediaStatus()?.items as unknown[]).length, 2, 'the folder plays as a queue');
  await local.load('Films/Big Buck Bunny.mp4');
  await local.seek(2);
  await local.setVolume(0.4);
  t.is(tv.volume.level, 0.4);
  await eventually(() => seen.some((status) => status.state === 'PLAYING'), 5000, 'status events');
  local.off('status', onStatus);
  await t.throwsAsync(local.load('Films/Nothing.mp4'), { code: 'UNKNOWN_MEDIA' });

  // From another machine: the same calls through the control channel.
  const client = new ControlClient({ url: cast.control.url(), token: keys.token });
  t.teardown(() => client.close());
  await t.throwsAsync(client.player('Kitchn'), { message: "no device named 'Kitchn'; found: Living Room TV" });
  const remote = await client.player('Living Room TV');
  t.is(remote.status().volume, 0.4, 'the last status at once');
  await remote.load('Films/Cartoons');
  t.is((tv.mediaStatus()?.items as unknown[]).length, 2);
  await remote.next();
  await eventually(() => remote.status().media?.title === 'Episode 2', 5000, 'the pushed status of the next item');
  await remote.pause();
  await eventually(() => remote.status().state === 'PAUSED', 5000, 'PAUSED pushed');
  t.is(tv.mediaStatus()?.playerState, 'PAUSED');
  await remote.setMuted(true);
  t.true(tv.volume.muted);
  const item = cast.library.find('Big Buck Bunny')!;
  await remote.load({ id: item.id }, { startAt: 1 });
  t.is((tv.mediaStatus()?.media as { metadata: { title: string } }).metadata.title, 'Big Buck Bunny');
  await remote.stop();
  await remote.close();
});
