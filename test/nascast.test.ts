import { randomBytes } from 'node:crypto';
import test from 'ava';
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
