import test from 'ava';
import type { API, PlatformAccessory, Service } from 'homebridge';
import { CATEGORY } from '../src/homebridge/extras.ts';
import { INPUT_POOL_SIZE, TelevisionAccessory } from '../src/homebridge/television.ts';
import type { Favourite } from '../src/homebridge/config.ts';
import { DeviceController, type DeviceRemote } from '../src/homebridge/device-controller.ts';
import { castMedia, FAVOURITES, fakeDevice, fakeRemote, FakePlayer, homebridgeApi, newAccessory, read, RecordingLogger, write } from './helpers/homebridge.ts';
import { eventually } from './helpers/media-server.ts';

const NOT_RESPONDING = -70402;

interface Tv {
  api: API;
  accessory: PlatformAccessory;
  television: Service;
  speaker: Service;
  inputs: Service[];
  controller: DeviceController;
  player: FakePlayer;
  logger: RecordingLogger;
  renamed: string[];
  hidden: string[][];
  warnings: string[];
}

/** `resolve`: what the platform would make of a favourite, instead of the fake's (a folder of three episodes, else one file). */
function makeTelevision(options: { online?: boolean; inputs?: readonly Favourite[]; resolve?: DeviceRemote['resolve'] } = {}): Tv {
  const api = homebridgeApi();
  const logger = new RecordingLogger();
  const { controller, player } = options.resolve ? customDevice(logger, options.inputs ?? FAVOURITES, options.resolve) : fakeDevice({ logger, ...options });
  const accessory = newAccessory(api, 'Living Room TV', CATEGORY.TELEVISION);
  const warnings: string[] = [];
  accessory._associatedHAPAccessory.on('characteristic-warning', (warning) => warnings.push(warning.message));
  const renamed: string[] = [];
  const hidden: string[][] = [];
  new TelevisionAccessory({ api, accessory, controller, logger, configuredName: 'Living Room TV', onRename: (name) => renamed.push(name), onHiddenInputs: (names) => hidden.push(names) });
  const { Service: S } = api.hap;
  return {
    api,
    accessory,
    television: accessory.getService(S.Television)!,
    speaker: accessory.getService(S.TelevisionSpeaker)!,
    inputs: accessory.services.filter((service) => service.UUID === S.InputSource.UUID),
    controller,
    player,
    logger,
    renamed,
    hidden,
    warnings,
  };
}

function customDevice(logger: RecordingLogger, inputs: readonly Favourite[], resolve: DeviceRemote['resolve']): { controller: DeviceController; player: FakePlayer } {
  const player = new FakePlayer();
  const controller = new DeviceController({ id: 'living-room-id', name: 'Living Room TV', inputs, remote: { player: () => Promise.resolve(player), resolve }, logger });
  controller.setOnline(true);
  return { controller, player };
}

function playing(tv: Tv, position = 100, extra: Partial<ReturnType<FakePlayer['status']>> = {}): void {
  tv.controller.update({ state: 'PLAYING', position, duration: 1200, volume: 0.4, muted: false, media: { url: 'http://nas.invalid/media/Episode%202', title: 'Episode 2' }, ...extra });
}

test('a Television with a speaker and a fixed pool of inputs named after the favourites', (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  t.is(tv.accessory.category, CATEGORY.TELEVISION);
  t.true(tv.television.isPrimaryService);
  t.is(tv.television.getCharacteristic(C.ConfiguredName).value, 'Living Room TV');
  t.is(tv.inputs.length, INPUT_POOL_SIZE);
  t.is(tv.television.linkedServices.length, INPUT_POOL_SIZE + 1);
  const names = tv.inputs.map((input) => input.getCharacteristic(C.ConfiguredName).value);
  t.deepEqual(names.slice(0, 4), ['Cartoons', 'Big Buck Bunny', 'Radio', 'Input 4']);
  t.deepEqual(tv.inputs.map((input) => input.getCharacteristic(C.Identifier).value).slice(0, 3), [1, 2, 3]);
  t.is(tv.inputs[2]!.getCharacteristic(C.IsConfigured).value, C.IsConfigured.CONFIGURED);
  t.is(tv.inputs[3]!.getCharacteristic(C.IsConfigured).value, C.IsConfigured.NOT_CONFIGURED);
  t.is(tv.inputs[2]!.getCharacteristic(C.CurrentVisibilityState).value, C.CurrentVisibilityState.SHOWN);
  t.is(tv.inputs[3]!.getCharacteristic(C.CurrentVisibilityState).value, C.CurrentVisibilityState.HIDDEN);
  t.deepEqual(tv.warnings, []);
});

test('favourites that change rename the pool, adding no service', (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  const before = tv.accessory.services.length;
  tv.controller.setInputs([{ name: 'Music', media: 'Music' }]);
  t.is(tv.accessory.services.length, before);
  t.is(tv.inputs[0]!.getCharacteristic(C.ConfiguredName).value, 'Music');
  t.is(tv.inputs[1]!.getCharacteristic(C.CurrentVisibilityState).value, C.CurrentVisibilityState.HIDDEN);
  t.is(tv.inputs[1]!.getCharacteristic(C.IsConfigured).value, C.IsConfigured.NOT_CONFIGURED);
});

test('Active on plays the first input as a playlist and answers HAP before the load finishes', async (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  t.is(await read(tv.television, C.Active), C.Active.INACTIVE);
  tv.player.hold();
  t.is(await write(tv.television, C.Active, C.Active.ACTIVE), 0);
  await eventually(() => tv.player.callsOf('load').length === 1, 2000, 'the load');
  const [media, options] = tv.player.callsOf('load')[0]!.args as [Array<{ title: string }>, { startIndex: number }];
  t.deepEqual(media.map((item) => item.title), ['Episode 1', 'Episode 2', 'Episode 10']);
  t.is(options.startIndex, 0);
  t.is(await read(tv.television, C.ActiveIdentifier), 1);
  tv.player.release();
});

test('picking an input plays it; status pushed from the device updates every characteristic', async (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  t.is(await write(tv.television, C.ActiveIdentifier, 2), 0);
  await eventually(() => tv.player.callsOf('load').length === 1, 2000, 'the load');
  t.is((tv.player.callsOf('load')[0]!.args[0] as Array<{ title: string }>)[0]!.title, 'Films/bunny.mp4');
  // Until the load is answered the TV shows LOADING (issue 19): the fake answers it at once.
  await eventually(() => !tv.controller.starting, 2000, 'the load answered');
  playing(tv);
  t.is(tv.television.getCharacteristic(C.Active).value, C.Active.ACTIVE);
  t.is(tv.television.getCharacteristic(C.ActiveIdentifier).value, 2);
  t.is(tv.television.getCharacteristic(C.CurrentMediaState).value, C.CurrentMediaState.PLAY);
  t.is(tv.speaker.getCharacteristic(C.Volume).value, 40);
  tv.controller.update({ state: 'PAUSED', position: 101, volume: 0.4, muted: true });
  t.is(tv.television.getCharacteristic(C.CurrentMediaState).value, C.CurrentMediaState.PAUSE);
  t.is(tv.television.getCharacteristic(C.TargetMediaState).value, C.TargetMediaState.PAUSE);
  t.is(await read(tv.speaker, C.Mute), true);
  t.is(await write(tv.television, C.ActiveIdentifier, 9), -70410, 'an input that is not configured is refused');
});

test('remote keys: play/pause, seek ±30 s, next and previous, information, back', async (t) => {
  const tv = makeTelevision();
  const { RemoteKey } = tv.api.hap.Characteristic;
  const press = (key: number): Promise<number> => write(tv.television, RemoteKey, key);
  playing(tv, 100);
  t.is(await press(RemoteKey.PLAY_PAUSE), 0);
  t.is(tv.player.calls.at(-1)?.method, 'pause');
  tv.controller.update({ state: 'PAUSED', position: 100, duration: 1200, volume: 0.4, muted: false });
  await press(RemoteKey.PLAY_PAUSE);
  t.is(tv.player.calls.at(-1)?.method, 'play');
  await press(RemoteKey.ARROW_RIGHT);
  t.deepEqual(tv.player.calls.at(-1), { method: 'seek', args: [130] });
  tv.controller.update({ state: 'PAUSED', position: 10, duration: 1200, volume: 0.4, muted: false });
  await press(RemoteKey.ARROW_LEFT);
  t.deepEqual(tv.player.calls.at(-1), { method: 'seek', args: [0] }, 'never before the start');
  tv.controller.update({ state: 'PAUSED', position: 1190, duration: 1200, volume: 0.4, muted: false });
  await press(RemoteKey.ARROW_RIGHT);
  t.deepEqual(tv.player.calls.at(-1), { method: 'seek', args: [1199] }, 'never past the end');
  await press(RemoteKey.NEXT_TRACK);
  t.is(tv.player.calls.at(-1)?.method, 'next');
  await press(RemoteKey.ARROW_DOWN);
  t.is(tv.player.calls.at(-1)?.method, 'next');
  await press(RemoteKey.PREVIOUS_TRACK);
  t.is(tv.player.calls.at(-1)?.method, 'prev');
  await press(RemoteKey.INFORMATION);
  t.is(tv.player.calls.at(-1)?.method, 'overlay');
  await press(RemoteKey.BACK);
  t.is(tv.player.calls.at(-1)?.method, 'stop');
  t.deepEqual(tv.warnings, []);
});

test('a seek with nothing playing does nothing and is not an error', async (t) => {
  const tv = makeTelevision();
  const { RemoteKey } = tv.api.hap.Characteristic;
  t.is(await write(tv.television, RemoteKey, RemoteKey.ARROW_RIGHT), 0);
  t.deepEqual(tv.player.callsOf('seek'), []);
  t.deepEqual(tv.logger.at('warn'), []);
});

test('Active off closes the app; the speaker steps, sets and mutes the volume', async (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  playing(tv);
  t.is(await write(tv.television, C.Active, C.Active.INACTIVE), 0);
  await eventually(() => tv.player.callsOf('quit').length === 1, 2000, 'quit');
  t.is(await write(tv.speaker, C.VolumeSelector, C.VolumeSelector.INCREMENT), 0);
  t.is(tv.player.calls.at(-1)?.method, 'setVolume');
  t.is((tv.player.calls.at(-1)!.args[0] as number).toFixed(2), '0.45');
  await write(tv.speaker, C.VolumeSelector, C.VolumeSelector.DECREMENT);
  t.is((tv.player.calls.at(-1)!.args[0] as number).toFixed(2), '0.35');
  await write(tv.speaker, C.Volume, 30);
  t.deepEqual(tv.player.calls.at(-1), { method: 'setVolume', args: [0.3] });
  await write(tv.speaker, C.Mute, true);
  t.deepEqual(tv.player.calls.at(-1), { method: 'setMuted', args: [true] });
});

test('Active on right after off, while the device is still closing its app: both are carried out, in order', async (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  playing(tv);
  // The quit is answered when the test says, and the device reports its app closed then (a
  // Chromecast's STOP reply; NasCast's session says IDLE before the quit resolves).
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  const quit = tv.player.quit.bind(tv.player);
  tv.player.quit = async () => {
    await quit();
    await answered;
    tv.controller.update({ state: 'IDLE', position: 0, volume: 0.4, muted: false });
  };
  t.is(await write(tv.television, C.Active, C.Active.INACTIVE), 0);
  t.is(await write(tv.television, C.Active, C.Active.ACTIVE), 0);
  await eventually(() => tv.player.callsOf('quit').length === 1, 2000, 'the quit');
  t.is(tv.player.callsOf('load').length, 0, 'on waits for off to be carried out');
  answer();
  await eventually(() => tv.player.callsOf('load').length === 1, 2000, 'the load after the quit');
  t.deepEqual(tv.player.calls.filter((call) => call.method === 'quit' || call.method === 'load').map((call) => call.method), ['quit', 'load']);
});

test('a paused TV is on; after a stop, Active on resumes the last media where it stopped', async (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  await write(tv.television, C.ActiveIdentifier, 1);
  await eventually(() => tv.player.callsOf('load').length === 1, 2000, 'the load');
  playing(tv, 300);
  tv.controller.update({ state: 'PAUSED', position: 310, volume: 0.4, muted: false, media: { url: 'http://nas.invalid/media/Episode%202' } });
  t.is(tv.television.getCharacteristic(C.Active).value, C.Active.ACTIVE);
  await write(tv.television, C.Active, C.Active.ACTIVE);
  t.is(tv.player.callsOf('load').length, 1, 'turning on a TV that is on does not reload');
  await write(tv.television, C.TargetMediaState, C.TargetMediaState.PLAY);
  t.is(tv.player.calls.at(-1)?.method, 'play', 'the Play target resumes it');
  tv.controller.update({ state: 'IDLE', position: 0, volume: 0.4, muted: false });
  t.is(tv.television.getCharacteristic(C.Active).value, C.Active.INACTIVE);
  await write(tv.television, C.Active, C.Active.ACTIVE);
  await eventually(() => tv.player.callsOf('load').length === 2, 2000, 'the second load');
  t.deepEqual(tv.player.callsOf('load')[1]!.args[1], { startIndex: 1, startAt: 310 });
});

test('offline: every state read and write answers Not Responding, and it comes back by itself', async (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  playing(tv);
  tv.controller.setOnline(false);
  t.deepEqual(await read(tv.television, C.Active), { status: NOT_RESPONDING });
  t.deepEqual(await read(tv.television, C.CurrentMediaState), { status: NOT_RESPONDING });
  t.deepEqual(await read(tv.speaker, C.Volume), { status: NOT_RESPONDING });
  t.is(await write(tv.television, C.Active, C.Active.INACTIVE), NOT_RESPONDING);
  t.is(await write(tv.television, C.RemoteKey, C.RemoteKey.PLAY_PAUSE), NOT_RESPONDING);
  t.is(await read(tv.television, C.ConfiguredName), 'Living Room TV', 'names still answer');
  t.deepEqual(tv.player.calls, []);
  tv.controller.setOnline(true);
  t.is(await read(tv.television, C.Active), C.Active.ACTIVE);
  t.deepEqual(tv.warnings, [], 'HAP-NodeJS saw only HapStatusErrors');
});

test('a device that goes away mid-command: Not Responding and a log line, never a throw', async (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  playing(tv);
  tv.player.failure = Object.assign(new Error('the connection closed'), { code: 'ERR_DEVICE_UNAVAILABLE' });
  t.is(await write(tv.television, C.RemoteKey, C.RemoteKey.PLAY_PAUSE), NOT_RESPONDING);
  t.regex(tv.logger.at('warn').join('\n'), /Living Room TV: cannot play or pause: the connection closed/);
  t.deepEqual(tv.warnings, []);
});

test('a load that fails in the background puts Active back and says why', async (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  tv.player.failure = new Error('the file cannot be played');
  t.is(await write(tv.television, C.Active, C.Active.ACTIVE), 0);
  await eventually(() => tv.logger.at('warn').length > 0, 2000, 'the warning');
  t.regex(tv.logger.at('warn')[0]!, /cannot turn on: the file cannot be played/);
  t.is(tv.television.getCharacteristic(C.Active).value, C.Active.INACTIVE);
});

test('a name given in the Home app is kept (sanitised); hiding an input is kept', async (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  t.is(await write(tv.television, C.ConfiguredName, '🎬 Cinema!'), 0);
  t.deepEqual(tv.renamed, ['Cinema']);
  t.is(await write(tv.inputs[2]!, C.TargetVisibilityState, C.TargetVisibilityState.HIDDEN), 0);
  t.is(tv.inputs[2]!.getCharacteristic(C.CurrentVisibilityState).value, C.CurrentVisibilityState.HIDDEN);
  t.deepEqual(tv.hidden, [['Radio']]);
  tv.controller.setInputs([...tv.controller.inputs]);
  t.is(tv.inputs[2]!.getCharacteristic(C.CurrentVisibilityState).value, C.CurrentVisibilityState.HIDDEN, 'stays hidden when inputs refresh');
});

test('power-on pushes only real transitions, in order: Active once, then LOADING before PLAY', async (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  const pushed: string[] = [];
  for (const [name, type] of [['Active', C.Active], ['CurrentMediaState', C.CurrentMediaState]] as const) {
    // What NasCast pushes (updates), not the Home app's own write coming back.
    tv.television.getCharacteristic(type).on('change', (change: { newValue: unknown; reason: string }) => {
      if (change.reason === 'update') pushed.push(`${name}=${String(change.newValue)}`);
    });
  }
  tv.player.hold();
  t.is(await write(tv.television, C.Active, C.Active.ACTIVE), 0);
  await eventually(() => tv.player.callsOf('load').length === 1, 2000, 'the load');
  tv.controller.update({ state: 'PLAYING', position: 0, volume: 0.4, muted: false, media: { url: 'http://nas.invalid/media/Episode%201', title: 'Episode 1' } });
  tv.player.release();
  await eventually(() => !tv.controller.starting, 2000, 'the load answered');
  t.deepEqual(pushed, [`Active=${C.Active.ACTIVE}`, `CurrentMediaState=${C.CurrentMediaState.LOADING}`, `CurrentMediaState=${C.CurrentMediaState.PLAY}`]);
});

test('picking the input that is already playing leaves it playing', async (t) => {
  const tv = makeTelevision();
  const { Characteristic: C } = tv.api.hap;
  t.is(await write(tv.television, C.ActiveIdentifier, 2), 0);
  await eventually(() => !tv.controller.starting && tv.player.callsOf('load').length === 1, 2000, 'the load answered');
  playing(tv, 600);
  t.is(await write(tv.television, C.ActiveIdentifier, 2), 0);
  t.is(await write(tv.television, C.Active, C.Active.ACTIVE), 0);
  t.is(tv.player.callsOf('load').length, 1, 'not loaded again from 0');
  tv.controller.update({ state: 'PAUSED', position: 601, volume: 0.4, muted: false, media: { url: 'http://nas.invalid/media/Episode%202' } });
  t.is(await write(tv.television, C.ActiveIdentifier, 2), 0);
  await eventually(() => tv.player.callsOf('play').length === 1, 2000, 'paused: it resumes');
  t.is(tv.player.callsOf('load').length, 1);
});

test('an input with nothing to play (a finished series) leaves the TV as it was, and says why', async (t) => {
  const inputs = [...FAVOURITES, { name: 'My Show', next: 'Series/My Show' }];
  const usual = fakeRemote(new FakePlayer());
  const tv = makeTelevision({ inputs, resolve: (favourite) => (favourite.next ? Promise.resolve({ nothing: "'Series/My Show' has no episode left to watch" }) : usual.resolve(favourite)) });
  const { Characteristic: C } = tv.api.hap;
  // Off, it stays off.
  t.is(await write(tv.television, C.ActiveIdentifier, 4), 0);
  await eventually(() => tv.logger.at('warn').length === 1, 2000, 'the warning');
  t.deepEqual(tv.logger.at('warn'), ["Living Room TV: My Show has nothing to play ('Series/My Show' has no episode left to watch); the TV stays as it was"]);
  // Pushed after HAP has stored the value the Home app wrote.
  await eventually(() => tv.television.getCharacteristic(C.ActiveIdentifier).value === 0, 2000, 'no input pushed back');
  t.is(tv.television.getCharacteristic(C.Active).value, C.Active.INACTIVE);
  // Playing another input, it plays on.
  t.is(await write(tv.television, C.ActiveIdentifier, 2), 0);
  await eventually(() => !tv.controller.starting && tv.player.callsOf('load').length === 1, 2000, 'the load answered');
  playing(tv, 600);
  t.is(await write(tv.television, C.ActiveIdentifier, 4), 0);
  await eventually(() => tv.logger.at('warn').length === 2, 2000, 'the second warning');
  await eventually(() => tv.television.getCharacteristic(C.ActiveIdentifier).value === 2, 2000, 'the input it had pushed back');
  t.is(tv.television.getCharacteristic(C.CurrentMediaState).value, C.CurrentMediaState.PLAY);
  t.deepEqual(tv.player.calls.map((call) => call.method), ['load'], 'nothing sent to the device');
  t.deepEqual(tv.warnings, []);
});

test('a library item started before goes on where it was left; a playlist starts at its beginning', async (t) => {
  const tv = makeTelevision({ resolve: (favourite) => Promise.resolve(favourite.media === 'Films/Cartoons' ? [{ ...castMedia('Episode 1'), resumeFrom: 300 }] : { ...castMedia('Big Buck Bunny'), resumeFrom: 595 }) });
  const { Characteristic: C } = tv.api.hap;
  t.is(await write(tv.television, C.ActiveIdentifier, 2), 0);
  await eventually(() => tv.player.callsOf('load').length === 1, 2000, 'the load');
  t.deepEqual(tv.player.callsOf('load')[0]!.args[1], { startIndex: 0, startAt: 595 });
  t.is(await write(tv.television, C.ActiveIdentifier, 1), 0);
  await eventually(() => tv.player.callsOf('load').length === 2, 2000, 'the second load');
  t.deepEqual(tv.player.callsOf('load')[1]!.args[1], { startIndex: 0 });
});
