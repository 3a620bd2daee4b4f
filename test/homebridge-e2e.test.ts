/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { ChromecastSimulator } from '../src/simulator/index.ts';
import { requireTestNamespace } from './helpers/chromium.ts';
import { makeMp4 } from './helpers/ffmpeg.ts';
import { HAP, HapTelevision, HOMEBRIDGES, launchHomebridge, NOT_RESPONDING, PIN, REMOTE_PLAY_PAUSE, type Bridge } from './helpers/hap.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { freePort } from './helpers/ports.ts';
import { startSimulator } from './helpers/simulator.ts';

// Real Homebridge (`homebridge -I -D -U <tmp> -P <project>`) loads the built plugin and
// publishes a TV per simulator found over mDNS; the test drives the TVs through HAP's
// HTTP interface (insecure mode: the setup code as Authorization, no pairing) and checks
// the simulators, and our receiver page in Chromium, for each effect.
// Real mDNS and Chromium: only inside the loopback-only namespace test/run.sh makes. The
// tests run one at a time, so that one Homebridge never finds the other test's simulators.

const APP_ID = 'A1B2C3D4';

async function startHomebridge(t: ExecutionContext, config: Record<string, unknown>, bin: string): Promise<Bridge> {
  const bridge = await launchHomebridge(await tempDir(t), config, bin);
  t.teardown(async () => {
    await bridge.stop();
    if (!t.passed) t.log(bridge.log().slice(-6000));
  });
  return bridge;
}

/** Waits until what `read` gives satisfies `done`; on timeout the error shows the last answer. */
async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, ms: number, what: string): Promise<T> {
  let last: T | undefined;
  try {
    await eventually(async () => done((last = await read())), ms, what);
  } catch (error) {
    throw new Error(`${(error as Error).message}; last: ${JSON.stringify(last)}`);
  }
  return last!;
}

function playingOnPage(simulator: ChromecastSimulator): Promise<{ time: number; paused: boolean; volume: number } | undefined> {
  const page = simulator.receiverPage;
  if (!page) return Promise.resolve(undefined);
  return page.evaluate(() => {
    const video = document.querySelector('video');
    return video ? { time: video.currentTime, paused: video.paused, volume: video.volume } : undefined;
  });
}

for (const { label, bin } of HOMEBRIDGES) {
  test.serial(`real Homebridge ${label}: two simulators become TVs; power, inputs, play/pause, volume and off take effect; a dead device is Not Responding and recovers`, async (t) => {
    if (!requireTestNamespace(t)) return;
    t.timeout(240_000);
    const media = await tempDir(t);
    await mkdir(path.join(media, 'Films', 'Cartoons'), { recursive: true });
    for (const episode of ['Episode 1', 'Episode 2']) await makeMp4(path.join(media, 'Films', 'Cartoons', `${episode}.mp4`), { seconds: 30, faststart: true });
    await makeMp4(path.join(media, 'Films', 'Clip.mp4'), { seconds: 30, faststart: true });

    const nascastPort = await freePort();
    // The living room runs our receiver app in Chromium; the kitchen has no such app, so it falls back to the Default Media Receiver.
    const livingRoom = await startSimulator(t, { name: 'Living Room TV', advertise: true, receiverApps: { [APP_ID]: `http://127.0.0.1:${nascastPort}/receiver/` }, appStartTimeoutMs: 30_000 });
    const kitchen = await startSimulator(t, { name: 'Kitchen', advertise: true, refuseApps: [APP_ID] });
    const externalPorts = await freePort();
    const bridge = await startHomebridge(t, {
      bridge: { name: 'NasCast Test Bridge', username: '0E:4C:11:22:33:44', port: await freePort(), pin: PIN, advertiser: 'bonjour-hap' },
      ports: { start: externalPorts, end: externalPorts + 20 },
      platforms: [
        {
          platform: 'NasCast',
          name: 'NasCast',
          media: [{ name: 'Films', path: path.join(media, 'Films') }],
          port: nascastPort,
          publicUrl: `http://127.0.0.1:${nascastPort}`,
          appId: APP_ID,
          inputs: [
            { name: 'Cartoons', media: 'Films/Cartoons' },
            { name: 'Clip', media: 'Films/Clip.mp4' },
          ],
          televisions: [{ device: 'Kitchen', volumeAccessory: 'lightbulb' }],
        },
      ],
    }, bin);

    await eventually(() => bridge.ports.has('Living Room TV') && bridge.ports.has('Kitchen'), 60_000, 'both TVs published');
    const living = await HapTelevision.open(bridge.ports.get('Living Room TV')!);
    const kitchenTv = await HapTelevision.open(bridge.ports.get('Kitchen')!);
    await until(() => living.read(HAP.active), (answer) => answer.value === 0, 20_000, 'the living room TV answering');
    t.is((await living.read(HAP.name)).value, 'Living Room TV');

    // Power on: our app launches in Chromium and plays the first input.
    const writeAt = performance.now();
    t.is(await living.write(HAP.active, 1), 0);
    await eventually(async () => ((await playingOnPage(livingRoom))?.time ?? 0) > 0, 60_000, 'the receiver page playing');
    const writeToPlaying = performance.now() - writeAt;
    await until(() => living.read(HAP.active), (answer) => answer.value === 1, 10_000, 'Active read back');
    t.is((await living.read(HAP.activeIdentifier)).value, 1);

    // Play/pause from the Remote on the page's <video>; the volume on the device, as a Chromecast has it (CAF cannot set it from the page).
    t.is(await living.write(HAP.remoteKey, REMOTE_PLAY_PAUSE), 0);
    await eventually(async () => (await playingOnPage(livingRoom))?.paused === true, 10_000, 'paused on the page');
    await until(() => living.read(HAP.currentMediaState), (answer) => answer.value === 1, 10_000, 'CurrentMediaState PAUSE');
    t.is(await living.write(HAP.volume, 30), 0);
    await eventually(() => Math.abs(livingRoom.volume.level - 0.3) < 0.001, 10_000, 'the living room volume');
    t.is((await playingOnPage(livingRoom))?.volume, 1, "the element's volume untouched");

    // Power off closes the app on the TV.
    t.is(await living.write(HAP.active, 0), 0);
    await eventually(() => livingRoom.runningApp === undefined, 15_000, 'the app closed');

    // The kitchen: an input picked directly plays through the Default Media Receiver.
    await until(() => kitchenTv.read(HAP.active), (answer) => answer.value === 0, 20_000, 'the kitchen TV answering');
    const inputAt = performance.now();
    t.is(await kitchenTv.write(HAP.activeIdentifier, 2), 0);
    await eventually(() => kitchen.mediaStatus()?.playerState === 'PLAYING', 30_000, 'the kitchen playing');
    const inputToPlaying = performance.now() - inputAt;
    t.is(await kitchenTv.write(HAP.volume, 40), 0);
    await eventually(() => Math.abs(kitchen.volume.level - 0.4) < 0.001, 10_000, 'the kitchen volume');

    // The kitchen dies: Not Responding within the heartbeat deadline; back once it restarts.
    const killedAt = performance.now();
    await kitchen.stop();
    await until(() => kitchenTv.read(HAP.active), (answer) => answer.status === NOT_RESPONDING, 20_000, 'Not Responding');
    const toNotResponding = performance.now() - killedAt;
    await kitchen.start();
    await eventually(async () => typeof (await kitchenTv.read(HAP.active)).value === 'number', 60_000, 'the kitchen answering again');

    t.log(`HAP write (Active on) → our receiver playing in Chromium: ${Math.round(writeToPlaying)} ms (includes the app launch and Chromium start)`);
    t.log(`HAP write (input) → Default Media Receiver PLAYING (after a refused launch of our app): ${Math.round(inputToPlaying)} ms`);
    t.log(`device killed → Not Responding: ${Math.round(toNotResponding)} ms`);
    t.is(bridge.process.exitCode, null, 'Homebridge is still up');
    t.notRegex(bridge.log(), /uncaught|unhandled|UnhandledPromiseRejection|TypeError|This plugin threw an error/i);
  });

  test.serial(`real Homebridge ${label}, the plugin in a child bridge: its TV plays, and a bad media folder is a log line, not a crash`, async (t) => {
    if (!requireTestNamespace(t)) return;
    t.timeout(180_000);
    const media = await tempDir(t);
    await mkdir(path.join(media, 'Films'), { recursive: true });
    await makeMp4(path.join(media, 'Films', 'Clip.mp4'), { seconds: 30, faststart: true });
    const den = await startSimulator(t, { name: 'Den', advertise: true });
    const externalPorts = await freePort();
    const nascastPort = await freePort();
    const bridge = await startHomebridge(t, {
      bridge: { name: 'NasCast Main Bridge', username: '0E:4C:11:22:33:55', port: await freePort(), pin: PIN, advertiser: 'bonjour-hap' },
      ports: { start: externalPorts, end: externalPorts + 20 },
      platforms: [
        {
          platform: 'NasCast',
          name: 'NasCast',
          // The second folder is not there (an unmounted share): a warning, and the rest plays.
          media: [{ name: 'Films', path: path.join(media, 'Films') }, { name: 'Series', path: path.join(media, 'not-mounted') }],
          port: nascastPort,
          publicUrl: `http://127.0.0.1:${nascastPort}`,
          inputs: [{ name: 'Clip', media: 'Films/Clip.mp4' }],
          _bridge: { username: '0E:4C:11:22:33:66', port: await freePort() },
        },
      ],
    }, bin);
    await eventually(() => bridge.ports.has('Den'), 60_000, 'the TV published by the child bridge');
    t.regex(bridge.log(), /child bridge/i);
    t.regex(bridge.log(), /media folder 'Series' .* is not available/);
    const tv = await HapTelevision.open(bridge.ports.get('Den')!);
    await until(() => tv.read(HAP.active), (answer) => answer.value === 0, 20_000, 'the TV answering');
    t.is(await tv.write(HAP.active, 1), 0);
    await eventually(() => den.mediaStatus()?.playerState === 'PLAYING', 30_000, 'the simulator playing');
    t.is(bridge.process.exitCode, null, 'Homebridge is still up');
    t.notRegex(bridge.log(), /uncaught|unhandled|UnhandledPromiseRejection|TypeError|This plugin threw an error/i);
  });
}
