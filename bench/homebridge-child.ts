// Homebridge benchmark, run inside a loopback-only network namespace (bench/homebridge.ts
// makes it): Homebridge and the simulators advertise over mDNS. Prints one JSON line.
//
// Real Homebridge runs twice in a process of its own: once with no plugin configured
// (the reference), once with NasCast, a library of 10,001 files and two simulated
// Chromecasts. Its resident memory is sampled after it settles; then HAP writes are
// made as the Home app makes them and timed until the simulator reports PLAYING, against
// the same load made straight through the library's DefaultMediaPlayer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CastSession, DefaultMediaPlayer, type CastMedia } from '../src/cast/index.ts';
import { ChromecastSimulator } from '../src/simulator/index.ts';
import { HAP, HapTelevision, launchHomebridge, PIN, type Bridge } from '../test/helpers/hap.ts';
import { freePort } from '../test/helpers/ports.ts';
import { median, rssMiB } from './tools.ts';

const FILES = 10_000;
const ROUNDS = 10;
const SETTLE_MS = 3000;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nascast-bench-hb-'));
const simulators: ChromecastSimulator[] = [];
const bridges: Bridge[] = [];

/** Polls `done` every millisecond (a benchmark may spin; a test may not). */
async function until(done: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

/** Median RSS (MiB) of `pid` over SETTLE_MS, sampled every 100 ms, after a settled start. */
async function settledRss(pid: number): Promise<{ total: number; anon: number }> {
  const total: number[] = [];
  const anon: number[] = [];
  const end = performance.now() + SETTLE_MS;
  while (performance.now() < end) {
    total.push(rssMiB([pid]));
    anon.push(rssMiB([pid], 'RssAnon'));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { total: median(total), anon: median(anon) };
}

async function homebridge(name: string, platforms: unknown[], storage = fs.mkdtempSync(path.join(work, 'storage-'))): Promise<{ bridge: Bridge; startMs: number; launchedAt: number; storage: string }> {
  const externalPorts = await freePort();
  const started = performance.now();
  const bridge = await launchHomebridge(storage, {
    bridge: { name, username: '0E:4C:11:22:33:77', port: await freePort(), pin: PIN, advertiser: 'bonjour-hap' },
    ports: { start: externalPorts, end: externalPorts + 20 },
    platforms,
  });
  bridges.push(bridge);
  await until(() => bridge.running() || bridge.process.exitCode !== null, 60_000, `${name} running`);
  if (!bridge.running()) throw new Error(`Homebridge exited: ${bridge.log().slice(-2000)}`);
  return { bridge, startMs: performance.now() - started, launchedAt: started, storage };
}

try {
  // The library: a clip, and 10,000 episodes in 100 series. The simulator fetches what
  // it plays, so the clip and the first series are a real MP4; the rest are empty files.
  const films = path.join(work, 'Films');
  fs.mkdirSync(films);
  const clip = path.join(films, 'Clip.mp4');
  fs.copyFileSync(path.join(import.meta.dirname, '..', 'examples', 'media', 'Films', 'Test Pattern.mp4'), clip);
  for (let series = 0; series < FILES / 100; series++) {
    const folder = path.join(films, `Series ${String(series).padStart(2, '0')}`);
    fs.mkdirSync(folder);
    for (let episode = 1; episode <= 100; episode++) {
      const file = path.join(folder, `Episode ${episode}.mp4`);
      if (series === 0) fs.linkSync(clip, file);
      else fs.writeFileSync(file, '');
    }
  }

  // The reference: Homebridge with nothing configured.
  const bare = await homebridge('Bench Bare Bridge', []);
  const bareRss = await settledRss(bare.bridge.process.pid!);
  await bare.bridge.stop();

  // NasCast with two simulated Chromecasts (Default Media Receiver).
  for (const name of ['Living Room TV', 'Kitchen']) {
    const simulator = new ChromecastSimulator({ name });
    await simulator.start();
    simulators.push(simulator);
  }
  const [living, kitchen] = simulators as [ChromecastSimulator, ChromecastSimulator];
  const nascastPort = await freePort();
  const nascastPlatform = [
    {
      platform: 'NasCast',
      name: 'NasCast',
      media: [{ name: 'Films', path: films }],
      port: nascastPort,
      publicUrl: `http://127.0.0.1:${nascastPort}`,
      inputs: [
        { name: 'Clip', media: 'Films/Clip.mp4' },
        { name: 'Series', media: 'Films/Series 00' },
      ],
    },
  ];
  const configured = await homebridge('Bench NasCast Bridge', nascastPlatform);
  const { bridge } = configured;
  await until(() => bridge.ports.has('Living Room TV') && bridge.ports.has('Kitchen'), 60_000, 'both TVs published');
  const tv = await HapTelevision.open(bridge.ports.get('Living Room TV')!);
  const kitchenTv = await HapTelevision.open(bridge.ports.get('Kitchen')!);
  await until(async () => (await tv.read(HAP.active)).value === 0 && (await kitchenTv.read(HAP.active)).value === 0, 60_000, 'both TVs answering');
  const tvsReadyMs = performance.now() - configured.launchedAt;
  const idleRss = await settledRss(bridge.process.pid!);

  // "Turn on the Living Room TV": Active on → the Default Media Receiver launched and PLAYING; off closes it.
  const activeOn: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    activeOn.push(
      await timed(async () => {
        if ((await tv.write(HAP.active, 1)) !== 0) throw new Error('Active on refused');
        await until(() => living.mediaStatus()?.playerState === 'PLAYING', 30_000, 'PLAYING after Active on');
      }),
    );
    if ((await tv.write(HAP.active, 0)) !== 0) throw new Error('Active off refused');
    await until(() => living.runningApp === undefined, 30_000, 'the app closed after Active off');
  }

  // Picking an input on a TV that plays: ActiveIdentifier → the other media PLAYING.
  if ((await kitchenTv.write(HAP.activeIdentifier, 1)) !== 0) throw new Error('input refused');
  await until(() => kitchen.mediaStatus()?.playerState === 'PLAYING', 30_000, 'the kitchen playing');
  const inputSwitch: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = (kitchen.mediaStatus()?.media as { contentId?: string } | undefined)?.contentId;
    inputSwitch.push(
      await timed(async () => {
        if ((await kitchenTv.write(HAP.activeIdentifier, round % 2 === 0 ? 2 : 1)) !== 0) throw new Error('input refused');
        await until(() => {
          const status = kitchen.mediaStatus();
          return status?.playerState === 'PLAYING' && (status.media as { contentId?: string } | undefined)?.contentId !== before;
        }, 30_000, 'the other input PLAYING');
      }),
    );
  }
  // The reference for the timings: the same launch and load straight through the library
  // (no Homebridge, no HAP), on a third simulator nobody else sees, of the clip NasCast serves.
  const clipUrl = (kitchen.mediaStatus()?.media as { contentId: string }).contentId;
  const reference = new ChromecastSimulator({ name: 'Reference', advertise: false });
  await reference.start();
  simulators.push(reference);
  const session = new CastSession({ host: reference.host, port: reference.port });
  await session.connect();
  const player = new DefaultMediaPlayer(session);
  const media: CastMedia = { url: clipUrl, contentType: 'video/mp4', title: 'Clip' };
  const libraryLaunchLoad: number[] = [];
  const libraryLoad: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      await session.stopApp();
      libraryLaunchLoad.push((await player.load(media)).elapsedMs);
      libraryLoad.push((await player.load(media)).elapsedMs);
    }
  } finally {
    session.close();
  }

  const afterRss = await settledRss(bridge.process.pid!);
  const upAfterwards = bridge.process.exitCode === null;
  const uncaught = /uncaught|unhandled|UnhandledPromiseRejection|TypeError|This plugin threw an error|MaxListenersExceeded/i.test(bridge.log());
  if (uncaught) console.error(bridge.log());
  await bridge.stop();

  // The same bridge started again on its storage: the library indexed (and probed) by the
  // first start, what a bridge is every day after its first.
  const restarted = await homebridge('Bench NasCast Bridge', nascastPlatform, configured.storage);
  await until(() => restarted.bridge.ports.has('Living Room TV') && restarted.bridge.ports.has('Kitchen'), 60_000, 'both TVs published again');
  const indexedRss = await settledRss(restarted.bridge.process.pid!);
  await restarted.bridge.stop();

  console.log(JSON.stringify({ files: FILES + 1, bareRss, bareStartMs: bare.startMs, idleRss, afterRss, indexedRss, tvsReadyMs, activeOn, inputSwitch, libraryLaunchLoad, libraryLoad, upAfterwards, uncaught }));
} finally {
  for (const bridge of bridges) await bridge.stop();
  for (const simulator of simulators) await simulator.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
