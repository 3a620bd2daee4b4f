import { mkdir, readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { API, Logging, PlatformAccessory } from 'homebridge';
import { NasCastPlatform, PLATFORM_NAME } from '../src/homebridge/platform.ts';
import register from '../src/index.ts';
import { makeMp4 } from './helpers/ffmpeg.ts';
import { emitApi, homebridgeApi, onInternal, read, RecordingLogger, write } from './helpers/homebridge.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

const NOT_RESPONDING = -70402;

interface Running {
  api: API;
  platform: NasCastPlatform;
  logger: RecordingLogger;
  published: PlatformAccessory[];
  registered: PlatformAccessory[];
  storage: string;
}

async function mediaFolder(t: ExecutionContext): Promise<string> {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'Films', 'Cartoons'), { recursive: true });
  await makeMp4(path.join(dir, 'Films', 'Cartoons', 'Episode 1.mp4'), { seconds: 20, faststart: true });
  await makeMp4(path.join(dir, 'Films', 'Cartoons', 'Episode 2.mp4'), { seconds: 20, faststart: true });
  return dir;
}

function startPlatform(t: ExecutionContext, config: Record<string, unknown>, storage: string, cached: PlatformAccessory[] = []): Running {
  const api = homebridgeApi(storage);
  const logger = new RecordingLogger();
  const published: PlatformAccessory[] = [];
  const registered: PlatformAccessory[] = [];
  onInternal(api, 'publishExternalAccessories', (accessories: PlatformAccessory[]) => published.push(...accessories));
  onInternal(api, 'registerPlatformAccessories', (accessories: PlatformAccessory[]) => registered.push(...accessories));
  const platform = new NasCastPlatform(logger as unknown as Logging, { platform: PLATFORM_NAME, ...config }, api);
  for (const accessory of cached) platform.configureAccessory(accessory);
  t.teardown(async () => {
    await platform.stop();
    if (!t.passed) t.log(logger.lines.map((line) => `${line.level}: ${line.message}`).join('\n'));
  });
  emitApi(api, 'didFinishLaunching');
  return { api, platform, logger, published, registered, storage };
}

test('the default export registers the NasCast platform', (t) => {
  const api = homebridgeApi();
  let registeredName: string | undefined;
  let registeredClass: unknown;
  onInternal(api, 'registerPlatform', (name: string, constructor: unknown) => {
    registeredName = name;
    registeredClass = constructor;
  });
  register(api);
  t.is(registeredName, 'NasCast');
  t.is(registeredClass, NasCastPlatform);
});

test('unconfigured it says so and does nothing; a bad value is one clear error, never a throw', async (t) => {
  const storage = await tempDir(t);
  const idle = startPlatform(t, {}, storage);
  t.regex(idle.logger.lines.map((line) => line.message).join('\n'), /has no media folders yet/);
  const broken = startPlatform(t, { media: [{ name: 'Films', path: 'films' }] }, storage);
  t.deepEqual(broken.logger.at('error'), ["NasCast is not started, its configuration has a mistake: media[0].path must be an absolute folder path (like /mnt/nas/films), not 'films'"]);
  await idle.platform.stop();
  await broken.platform.stop();
  t.is(idle.platform.nascast, undefined);
  t.deepEqual(await readdir(storage), [], 'nothing written');
});

test('a Chromecast becomes a Television that plays, goes Not Responding when the device dies, and comes back', async (t) => {
  const media = await mediaFolder(t);
  const storage = await tempDir(t);
  const tv = await startSimulator(t, { name: 'Living Room TV' });
  const running = startPlatform(t, {
    media: [{ name: 'Films', path: path.join(media, 'Films') }],
    port: 0,
    devices: [`${tv.host}:${tv.port}`],
    inputs: [{ name: 'Cartoons', media: 'Films/Cartoons' }],
    televisions: [{ device: `${tv.host}:${tv.port}`, name: 'Living Room TV', volumeAccessory: 'lightbulb' }],
    scenes: [{ name: 'Cartoon Time', device: 'Living Room TV', input: 'Cartoons', volume: 20 }],
  }, storage);
  const { api, platform, published, registered } = running;
  const { Service: S, Characteristic: C } = api.hap;
  await eventually(() => published.length === 1, 10_000, 'the Television published');
  const accessory = published[0]!;
  t.is(accessory.displayName, 'Living Room TV');
  t.is(accessory.category, 31);
  const television = accessory.getService(S.Television)!;
  await eventually(async () => (await read(television, C.Active)) === C.Active.INACTIVE, 10_000, 'the TV answering');
  t.deepEqual(registered.map((extra) => extra.displayName).sort(), ['Cartoon Time', 'Living Room TV Volume']);

  const pushed: string[] = [];
  platform.nascast!.on('status', (device, status) => pushed.push(`${device} ${status.state}`));
  t.teardown(() => {
    if (!t.passed) t.log(`statuses pushed: ${pushed.join(', ')}; online: ${[...platform.controllers.values()].map((controller) => controller.online).join()}`);
  });
  t.is(await write(television, C.ActiveIdentifier, 1), 0);
  await eventually(() => tv.mediaStatus()?.playerState === 'PLAYING', 15_000, 'the simulator playing');
  await eventually(() => television.getCharacteristic(C.Active).value === C.Active.ACTIVE, 15_000, 'Active pushed');
  // Active is on from LOADING; PLAYING comes in its own status, which may trail the simulator's clock under load.
  await eventually(() => television.getCharacteristic(C.CurrentMediaState).value === C.CurrentMediaState.PLAY, 15_000, 'CurrentMediaState PLAY pushed');
  await write(television, C.RemoteKey, C.RemoteKey.PLAY_PAUSE);
  await eventually(() => tv.mediaStatus()?.playerState === 'PAUSED', 15_000, 'paused on the simulator');
  const speaker = accessory.getService(S.TelevisionSpeaker)!;
  t.is(await write(speaker, C.Volume, 35), 0);
  await eventually(() => Math.abs(tv.volume.level - 0.35) < 0.001, 15_000, 'the volume on the simulator');

  // Off closes the app and the TV reads off; on again plays again (it once stayed "on" after our own STOP).
  t.is(await write(television, C.Active, C.Active.INACTIVE), 0);
  await eventually(() => tv.runningApp === undefined, 15_000, 'the app closed');
  await eventually(() => television.getCharacteristic(C.Active).value === C.Active.INACTIVE, 15_000, 'Active off pushed');
  t.is(await write(television, C.Active, C.Active.ACTIVE), 0);
  await eventually(() => tv.mediaStatus()?.playerState === 'PLAYING', 15_000, 'playing again');

  await tv.stop();
  await eventually(async () => {
    const answer = await read(television, C.Active);
    return typeof answer === 'object' && answer !== null && 'status' in answer && answer.status === NOT_RESPONDING;
  }, 20_000, 'Not Responding');
  await tv.start();
  await eventually(async () => typeof (await read(television, C.Active)) === 'number', 40_000, 'answering again');

  t.deepEqual([...platform.controllers.keys()], [`${tv.host}:${tv.port}`]);
  t.deepEqual(running.logger.at('error'), []);
});

test('a port in use is a log line, not a crash; devices known from before appear at once, Not Responding', async (t) => {
  const media = await mediaFolder(t);
  const storage = await tempDir(t);
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as net.AddressInfo).port;
  const tv = await startSimulator(t, { name: 'Den' });
  const config = { media: [{ name: 'Films', path: path.join(media, 'Films') }], devices: [`${tv.host}:${tv.port}`], inputs: [{ name: 'Cartoons', media: 'Films/Cartoons' }] };

  const first = startPlatform(t, { ...config, port: 0 }, storage);
  await eventually(() => first.published.length === 1, 10_000, 'the Television published');
  await first.platform.stop();

  const blocked = startPlatform(t, { ...config, port }, storage);
  await eventually(() => blocked.logger.at('error').length > 0, 10_000, 'the error');
  t.regex(blocked.logger.at('error')[0]!, /NasCast could not start \(.*(in use|EADDRINUSE).*\); trying again every 30 s, the bridge keeps running/);
  t.is(blocked.published.length, 1, 'the known device is published before discovery');
  t.is(blocked.published[0]!.displayName, first.published[0]!.displayName);
  const television = blocked.published[0]!.getService(blocked.api.hap.Service.Television)!;
  t.deepEqual(await read(television, blocked.api.hap.Characteristic.Active), { status: NOT_RESPONDING });
});
