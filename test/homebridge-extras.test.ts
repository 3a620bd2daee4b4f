import test from 'ava';
import type { DeviceController } from '../src/homebridge/device-controller.ts';
import { CATEGORY, SceneSwitch, VolumeAccessory } from '../src/homebridge/extras.ts';
import { fakeDevice, homebridgeApi, newAccessory, read, RecordingLogger, write } from './helpers/homebridge.ts';
import { eventually } from './helpers/media-server.ts';

const NOT_RESPONDING = -70402;

test('a Lightbulb whose brightness is the volume: set, pushed, off mutes', async (t) => {
  const api = homebridgeApi();
  const { Service: S, Characteristic: C } = api.hap;
  const { controller, player } = fakeDevice();
  const accessory = newAccessory(api, 'Living Room Volume', CATEGORY.LIGHTBULB);
  new VolumeAccessory({ api, accessory, controller, kind: 'lightbulb', logger: new RecordingLogger() });
  const bulb = accessory.getService(S.Lightbulb)!;
  await controller.sync();
  t.is(await read(bulb, C.Brightness), 50, "the player's volume when first reached");
  t.is(await write(bulb, C.Brightness, 30), 0);
  t.deepEqual(player.calls.at(-1), { method: 'setVolume', args: [0.3] });
  controller.update({ state: 'PLAYING', position: 1, volume: 0.3, muted: false });
  t.is(bulb.getCharacteristic(C.Brightness).value, 30);
  t.is(await write(bulb, C.On, false), 0);
  t.deepEqual(player.calls.at(-1), { method: 'setMuted', args: [true] });
  controller.update({ state: 'PLAYING', position: 1, volume: 0.3, muted: true });
  t.is(bulb.getCharacteristic(C.On).value, false);
  controller.setOnline(false);
  t.deepEqual(await read(bulb, C.Brightness), { status: NOT_RESPONDING });
});

test('a Fan whose speed is the volume', async (t) => {
  const api = homebridgeApi();
  const { Service: S, Characteristic: C } = api.hap;
  const { controller, player } = fakeDevice();
  const accessory = newAccessory(api, 'Living Room Volume', CATEGORY.FAN);
  new VolumeAccessory({ api, accessory, controller, kind: 'fan', logger: new RecordingLogger() });
  const fan = accessory.getService(S.Fanv2)!;
  t.is(await write(fan, C.RotationSpeed, 70), 0);
  t.deepEqual(player.calls.at(-1), { method: 'setVolume', args: [0.7] });
  t.is(await write(fan, C.Active, C.Active.INACTIVE), 0);
  t.deepEqual(player.calls.at(-1), { method: 'setMuted', args: [true] });
});

test('a scene switch plays its favourite shuffled at its volume, reads on while it plays, off stops it', async (t) => {
  const api = homebridgeApi();
  const { Service: S, Characteristic: C } = api.hap;
  const { controller, player } = fakeDevice();
  const accessory = newAccessory(api, 'Movie Night', CATEGORY.SWITCH);
  const scene = new SceneSwitch({ api, accessory, scene: { name: 'Movie Night', device: 'Living Room TV', input: 'Cartoons', volume: 25, shuffle: true }, controller: () => controller, logger: new RecordingLogger() });
  const button = accessory.getService(S.Switch)!;
  t.is(await read(button, C.On), false);
  t.is(await write(button, C.On, true), 0);
  await eventually(() => player.callsOf('load').length === 1, 2000, 'the load');
  t.deepEqual(player.callsOf('setVolume')[0]!.args, [0.25]);
  const queue = player.callsOf('load')[0]!.args[0] as Array<{ title: string }>;
  t.deepEqual(queue.map((item) => item.title).sort(), ['Episode 1', 'Episode 10', 'Episode 2']);
  controller.update({ state: 'PLAYING', position: 0, volume: 0.25, muted: false });
  t.is(button.getCharacteristic(C.On).value, true);
  t.is(await write(button, C.On, false), 0);
  t.is(player.calls.at(-1)?.method, 'stop');
  scene.dispose();
});

test('shuffle changes the order (over repeated plays)', async (t) => {
  const api = homebridgeApi();
  const { controller, player } = fakeDevice();
  const orders = new Set<string>();
  for (let round = 0; round < 30 && orders.size < 2; round++) {
    await controller.playInput(1, { shuffle: true });
    orders.add((player.calls.at(-1)!.args[0] as Array<{ title: string }>).map((item) => item.title).join(','));
  }
  t.true(orders.size > 1, 'thirty shuffles of three items all came out alike');
  t.truthy(api);
});

test('a scene whose device is not found yet answers Not Responding, then works once it appears', async (t) => {
  const api = homebridgeApi();
  const { Service: S, Characteristic: C } = api.hap;
  let found: DeviceController | undefined = undefined;
  const accessory = newAccessory(api, 'Movie Night', CATEGORY.SWITCH);
  const scene = new SceneSwitch({ api, accessory, scene: { name: 'Movie Night', device: 'Living Room TV', input: 'Radio', shuffle: false }, controller: () => found, logger: new RecordingLogger() });
  const button = accessory.getService(S.Switch)!;
  t.deepEqual(await read(button, C.On), { status: NOT_RESPONDING });
  t.is(await write(button, C.On, true), NOT_RESPONDING);
  const { controller, player } = fakeDevice();
  found = controller;
  scene.refresh();
  t.is(await write(button, C.On, true), 0);
  await eventually(() => player.callsOf('load').length === 1, 2000, 'the load');
  controller.update({ state: 'PLAYING', position: 0, volume: 1, muted: false });
  t.is(button.getCharacteristic(C.On).value, true, 'follows the device once found');
  scene.dispose();
});
