/// <reference lib="dom" />
import fs from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { Chromecasts } from '../src/players/chromecasts.ts';
import { ControlClient } from '../src/control/client.ts';
import { ControlError } from '../src/errors.ts';
import type { MountedControl } from '../src/players/mount.ts';
import type { ControlStatus } from '../src/protocol/index.ts';
import { DeviceDiscovery } from '../src/discovery/index.ts';
import type { ChromecastSimulator, ReceiverPage, SimulatorOptions } from '../src/simulator/index.ts';
import { requireTestNamespace } from './helpers/chromium.ts';
import { APP_ID, lastStatus, mountCastControl, staticDevice } from './helpers/cast-app.ts';
import { cuttableProxy, type CuttableProxy } from './helpers/control.ts';
import { makeMp4 } from './helpers/ffmpeg.ts';
import { eventually, startMediaServer, tempDir, type TestServer } from './helpers/media-server.ts';
import { connectSession, nextEvent, startSimulator } from './helpers/simulator.ts';

// The whole hand-over, with real parts: mDNS discovery, castv2 over TLS, our receiver
// page in headless Chromium behind the cast.framework stand-in, the control hub.
// Real mDNS and Chromium, so only inside the loopback-only namespace test/run.sh makes.

const SCREENSHOTS = path.resolve('test-output', 'receiver');

interface Setup {
  media: TestServer;
  simulator: ChromecastSimulator;
  control: MountedControl;
  chromecasts: Chromecasts;
  client: ControlClient;
  statuses: ControlStatus[];
}

async function setup(t: ExecutionContext, options: { simulator?: SimulatorOptions; controlUrl?: () => string; receiverTimeoutMs?: number; mdns?: boolean } = {}): Promise<Setup> {
  const work = await tempDir(t);
  await makeMp4(path.join(work, 'film.mp4'), { seconds: 20, faststart: true });
  const media = await startMediaServer(t, {
    'Films/Test Film.mp4': await fs.readFile(path.join(work, 'film.mp4')),
    'Films/Test Film.en.srt': '1\n00:00:00,000 --> 00:00:19,000\nHello from the subtitles\n',
  });
  const simulator = await startSimulator(t, {
    name: 'Living Room TV',
    advertise: options.mdns ?? true,
    receiverApps: { [APP_ID]: `${media.origin}/receiver/` },
    appStartTimeoutMs: 30_000,
    ...options.simulator,
  });
  const discovery = new DeviceDiscovery(options.mdns === false ? { mdns: false, staticHosts: [{ host: simulator.host, port: simulator.port, name: simulator.name }] } : { queryIntervalMs: 500 });
  t.teardown(() => discovery.stop());
  const { control, chromecasts } = mountCastControl(t, media, discovery, options);
  const client = new ControlClient({ url: `ws://127.0.0.1:${media.server.port}/control`, token: media.secrets.token, requestTimeoutMs: 40_000 });
  t.teardown(() => client.close());
  const statuses: ControlStatus[] = [];
  client.on('status', (device, status) => device === simulator.id && statuses.push(status));
  await client.connect();
  discovery.start();
  return { media, simulator, control, chromecasts, client, statuses };
}

function video<T>(page: ReceiverPage, read: () => T): Promise<T> {
  return page.evaluate(read);
}

test.serial('a Chromecast found over mDNS launches our receiver app; the page joins the channel, plays a real MP4 and obeys every command, also through a cut channel', async (t) => {
  if (!requireTestNamespace(t)) return;
  // The page reaches the hub through a proxy the test can cut; it is made once the server has a port.
  const between: { proxy?: CuttableProxy } = {};
  const { media, simulator, control, client, statuses } = await setup(t, { controlUrl: () => `ws://127.0.0.1:${between.proxy!.port}/control` });
  const proxy = (between.proxy = await cuttableProxy(t, media.server.port));
  const device = simulator.id;

  // 1. The simulator is discovered.
  await eventually(async () => (await client.devices()).some((found) => found.id === device && found.name === 'Living Room TV' && found.kind === 'chromecast'), 10_000, 'the simulator listed');
  await client.subscribe(device);

  // 2–4. NasCast launches the app, the page connects, the film plays.
  const launched = nextEvent<[string]>(simulator, 'launch', 30_000);
  const film = media.item('Films/Test Film.mp4');
  const played = await client.play('Living Room TV', { media: film.id, subtitles: 'en' });
  t.is(played?.state, 'PLAYING');
  t.deepEqual(await launched, [APP_ID]);
  t.true(control.hub.receivers.some((receiver) => receiver.device === device), 'the page joined as the receiver of this device');
  const page = simulator.receiverPage!;
  t.truthy(page, 'the app runs as a page in Chromium');
  t.true(await page.evaluate(() => navigator.userAgent.includes('CrKey') && typeof (globalThis as { cast?: { framework?: { CastReceiverContext?: unknown } } }).cast?.framework?.CastReceiverContext === 'object'), 'the page took the Chromecast (CAF) path');
  await eventually(() => video(page, () => document.querySelector('video')!.currentTime > 0.5 && document.querySelector('video')!.videoWidth > 0), 15_000, 'the film plays');
  t.is(await video(page, () => document.querySelector('video')!.videoWidth), 320);
  t.is(await video(page, () => Array.from(document.querySelector('video')!.textTracks).find((track) => track.mode === 'showing')?.language), 'en');
  await eventually(lastStatus(statuses, (status) => status.state === 'PLAYING' && status.media?.title === 'Test Film'), 5000, 'PLAYING status');
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot(path.join(SCREENSHOTS, 'chromecast-now-playing.png'));

  // 5. Each command takes effect on the <video> and comes back as status.
  await client.pause(device);
  t.true(await video(page, () => document.querySelector('video')!.paused));
  await eventually(lastStatus(statuses, (status) => status.state === 'PAUSED'), 5000, 'PAUSED status');
  await client.seek(device, 12);
  await eventually(() => video(page, () => !document.querySelector('video')!.seeking && Math.abs(document.querySelector('video')!.currentTime - 12) < 0.5), 5000, 'the element at 12 s');
  await eventually(lastStatus(statuses, (status) => Math.abs(status.position - 12) < 0.5), 5000, 'position 12 reported');
  // The device's volume (SET_VOLUME on the receiver namespace), not the element's: CAF cannot set it, and reports it.
  await client.volume(device, 0.3);
  t.is(simulator.volume.level, 0.3);
  t.is(await video(page, () => document.querySelector('video')!.volume), 1);
  await eventually(lastStatus(statuses, (status) => status.volume === 0.3), 5000, 'volume reported');
  await client.seek(device, 1);
  await client.resume(device);
  await eventually(lastStatus(statuses, (status) => status.state === 'PLAYING'), 5000, 'PLAYING again');

  // The channel is cut: the film plays on, and the device stays online through its castv2 session.
  await proxy.cut();
  await eventually(() => !control.hub.receivers.some((receiver) => receiver.device === device), 10_000, 'the hub saw the page go');
  const at = await video(page, () => document.querySelector('video')!.currentTime);
  await eventually(async () => (await video(page, () => document.querySelector('video')!.currentTime)) > at + 1, 5000, 'playing while cut');
  t.true((await client.devices()).find((found) => found.id === device)?.online, 'online while castv2 is up');
  await proxy.restore();
  await eventually(() => control.hub.receivers.some((receiver) => receiver.device === device), 15_000, 'the page back on the channel');
  await client.pause(device);
  t.true(await video(page, () => document.querySelector('video')!.paused), 'commands reach the page after the reconnect');

  await client.stop(device);
  t.false(await video(page, () => document.querySelector('video')!.hasAttribute('src')));
  await eventually(lastStatus(statuses, (status) => status.state === 'IDLE'), 5000, 'IDLE status');

  // Both the castv2 session and the page's socket gone: offline, and commands say so.
  await simulator.stop();
  await eventually(async () => (await client.devices()).find((found) => found.id === device)?.online === false, 10_000, 'reported offline');
  const error = await t.throwsAsync(client.pause(device), { instanceOf: ControlError });
  t.is(error?.code, 'DEVICE_OFFLINE');
});

test.serial('an app the device cannot launch falls back to the Default Media Receiver, whose status reaches the channel too', async (t) => {
  if (!requireTestNamespace(t)) return;
  const { media, simulator, chromecasts, client } = await setup(t, { simulator: { refuseApps: [APP_ID] }, mdns: false });
  const device = await staticDevice(client);
  const seen: ControlStatus[] = [];
  client.on('status', (from, status) => from === device && seen.push(status));
  await client.subscribe(device);
  const played = await client.play(device, { media: media.item('Films/Test Film.mp4').id });
  t.is(played?.state, 'PLAYING');
  t.is(simulator.runningApp, 'CC1AD845');
  t.is((await chromecasts.player(device)).receiver, 'default');
  t.is(simulator.receiverPage, undefined);
  await client.pause(device);
  t.is(simulator.mediaStatus()?.playerState, 'PAUSED');
  // The Default Media Receiver's status, from castv2, reaches the channel's subscribers too.
  await eventually(lastStatus(seen, (status) => status.state === 'PAUSED' && status.media?.title === 'Test Film'), 5000, 'PAUSED status on the channel');
});

test.serial('a receiver page that never joins the channel fails the play with a clear reason, not a hang', async (t) => {
  if (!requireTestNamespace(t)) return;
  // The hand-over names a port nothing listens on, as when the device cannot reach the server.
  const { media, simulator, client } = await setup(t, { controlUrl: () => 'ws://127.0.0.1:9/control', receiverTimeoutMs: 3000, mdns: false });
  const error = await t.throwsAsync(client.play(await staticDevice(client), { media: media.item('Films/Test Film.mp4').id }), { instanceOf: ControlError });
  t.is(error?.code, 'DEVICE_OFFLINE');
  t.regex(error?.message ?? '', /did not join the control channel within 3000 ms/);
  t.is(simulator.runningApp, APP_ID, 'the app was launched; only the channel failed');
});

test.serial('another sender taking the TV ends our receiver: controllers see IDLE, and the next play launches it again', async (t) => {
  if (!requireTestNamespace(t)) return;
  const { media, simulator, client } = await setup(t, { mdns: false });
  const device = await staticDevice(client);
  const seen: ControlStatus[] = [];
  client.on('status', (from, status) => from === device && seen.push(status));
  await client.subscribe(device);
  const film = media.item('Films/Test Film.mp4').id;
  t.is((await client.play(device, { media: film }))?.state, 'PLAYING');
  await eventually(lastStatus(seen, (status) => status.state === 'PLAYING'), 5000, 'PLAYING status');

  const phone = await connectSession(t, simulator);
  await phone.launch('CC1AD845');
  await eventually(lastStatus(seen, (status) => status.state === 'IDLE' && status.media === undefined), 10_000, 'IDLE once the app is gone');
  t.true((await client.devices()).find((found) => found.id === device)?.online);

  t.is((await client.play(device, { media: film }))?.state, 'PLAYING');
  t.is(simulator.runningApp, APP_ID);
});
