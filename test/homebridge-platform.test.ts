import { mkdir, readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { API, Logging, PlatformAccessory } from 'homebridge';
import { NasCastPlatform, PLATFORM_NAME } from '../src/homebridge/platform.ts';
import register from '../src/index.ts';
import { film, makeMp4 } from './helpers/ffmpeg.ts';
import { emitApi, homebridgeApi, onInternal, read, RecordingLogger, write } from './helpers/homebridge.ts';
import { eventually, tempDir, writeTree } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';
import type { ChromecastSimulator } from '../src/simulator/index.ts';
import type { MediaItem } from '../src/api.ts';

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

/** Two films and a season of three episodes, each the hour-long fixture film: `Films/…`, `Series/My Show/Season 1/…`. */
async function filmsAndSeries(t: ExecutionContext): Promise<Array<{ name: string; path: string }>> {
  const dir = await tempDir(t);
  const bytes = await film();
  await writeTree(dir, {
    'Films/A Film (2001).mp4': bytes,
    'Films/Another Film (2002).mp4': bytes,
    'Series/My Show/Season 1/My Show S01E01.mp4': bytes,
    'Series/My Show/Season 1/My Show S01E02.mp4': bytes,
    'Series/My Show/Season 1/My Show S01E03.mp4': bytes,
  });
  return [{ name: 'Films', path: path.join(dir, 'Films') }, { name: 'Series', path: path.join(dir, 'Series') }];
}

/** What the simulator's Default Media Receiver shows: the item (by its media URL) and where it is. */
function onScreen(tv: ChromecastSimulator): { contentId: string; state: unknown; currentTime: number; items: number } {
  const status = tv.mediaStatus() as { media?: { contentId?: string }; playerState?: unknown; currentTime?: number; items?: unknown[] } | undefined;
  return { contentId: status?.media?.contentId ?? '', state: status?.playerState, currentTime: status?.currentTime ?? 0, items: status?.items?.length ?? 0 };
}

function plays(tv: ChromecastSimulator, item: MediaItem): boolean {
  const shown = onScreen(tv);
  return shown.state === 'PLAYING' && shown.contentId.includes(`/media/${item.id}?`);
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

test('a TV with no inputs offers Continue watching and each media folder: the first folder on a fresh install, then what was left, from where it was left', async (t) => {
  const media = await filmsAndSeries(t);
  const tv = await startSimulator(t, { name: 'Den' });
  const running = startPlatform(t, { media, port: 0, devices: [`${tv.host}:${tv.port}`] }, await tempDir(t));
  const { api, platform, published } = running;
  const { Service: S, Characteristic: C } = api.hap;
  await eventually(() => published.length === 1, 10_000, 'the Television published');
  const television = published[0]!.getService(S.Television)!;
  await eventually(async () => (await read(television, C.Active)) === C.Active.INACTIVE, 10_000, 'the TV answering');
  const inputs = published[0]!.services.filter((service) => service.UUID === S.InputSource.UUID);
  t.deepEqual(inputs.slice(0, 4).map((input) => input.getCharacteristic(C.ConfiguredName).value), ['Continue watching', 'Films', 'Series', 'Input 4']);
  t.deepEqual(inputs.slice(0, 4).map((input) => input.getCharacteristic(C.CurrentVisibilityState).value), [0, 0, 0, 1], 'three shown');

  // Nothing watched yet: the first media folder, as a playlist.
  const library = platform.nascast!.library;
  const [first, second] = library.folder('Films')!.items;
  t.is(await write(television, C.ActiveIdentifier, 1), 0);
  await eventually(() => plays(tv, first!), 15_000, 'the first film playing');
  t.is(onScreen(tv).items, 2, 'the folder as a queue');
  t.is(await write(television, C.Active, C.Active.INACTIVE), 0);
  await eventually(() => tv.runningApp === undefined && !platform.controllers.get(`${tv.host}:${tv.port}`)!.active, 15_000, 'the TV off');

  // Ten minutes into the other film (on another device, say): "turn on the TV" goes on there.
  library.played(second!, 600, 3600);
  t.is(await write(television, C.ActiveIdentifier, 1), 0);
  await eventually(() => plays(tv, second!), 15_000, 'the film left half-way playing');
  const at = onScreen(tv).currentTime;
  t.true(at >= 590 && at < 620, `resumed near 595 s, not at ${at} s`);
  t.deepEqual(running.logger.at('error'), []);
});

test('a next input plays the series episode after the last one watched; an unknown series folder is a log line and the TV plays on', async (t) => {
  const media = await filmsAndSeries(t);
  const tv = await startSimulator(t, { name: 'Den' });
  const inputs = [{ name: 'My Show', next: 'Series/My Show' }, { name: 'Lost', next: 'Series/Lost' }];
  const running = startPlatform(t, { media, port: 0, devices: [`${tv.host}:${tv.port}`], inputs }, await tempDir(t));
  const { api, platform, published } = running;
  const { Service: S, Characteristic: C } = api.hap;
  await eventually(() => published.length === 1, 10_000, 'the Television published');
  const television = published[0]!.getService(S.Television)!;
  await eventually(async () => (await read(television, C.Active)) === C.Active.INACTIVE, 10_000, 'the TV answering');

  const library = platform.nascast!.library;
  const [e01, e02] = library.folder('Series/My Show/Season 1')!.items;
  library.played(e01!, 3500, 3600, true);
  t.is(await write(television, C.ActiveIdentifier, 1), 0);
  await eventually(() => plays(tv, e02!), 15_000, 'S01E02 playing');
  t.true(onScreen(tv).currentTime < 60, 'from its start');

  t.is(await write(television, C.ActiveIdentifier, 2), 0, 'the Home app is answered');
  await eventually(() => running.logger.at('warn').some((line) => line.includes('Lost has nothing to play')), 10_000, 'the log line');
  t.regex(running.logger.at('warn').join('\n'), /: Lost has nothing to play \(there is no folder 'Series\/Lost' in the library\); the TV stays as it was/);
  await eventually(() => television.getCharacteristic(C.ActiveIdentifier).value === 1, 10_000, 'the input it had');
  t.true(plays(tv, e02!), 'still playing');
  t.deepEqual(running.logger.at('error'), []);
});
