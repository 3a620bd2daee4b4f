/// <reference lib="dom" />
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { ControlClient } from '../src/control/client.ts';
import { NasCast } from '../src/nascast.ts';
import type { PlayerStatus } from '../src/cast/index.ts';
import { requireTestNamespace } from './helpers/chromium.ts';
import { makeMp4 } from './helpers/ffmpeg.ts';
import { HAP, HapTelevision, launchHomebridge, PIN } from './helpers/hap.ts';
import { freePort } from './helpers/ports.ts';
import { eventually, tempDir } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';
import { driveWithChromecastClient } from './senders/chromecast-client-sender.ts';
import { findCastDevice } from './senders/mdns-lookup.ts';

// Senders written against real Chromecasts, not against our simulator: Debian's
// pychromecast (python3-pychromecast, run with /usr/bin/python3) and the npm package
// @foxxmd/chromecast-client. They find the simulator over mDNS by its records (inside
// the loopback-only namespace test/run.sh gives mDNS tests), play NasCast's files from
// its server, and see what a device would tell them. One test at a time: mDNS is shared.

const PYCHROMECAST = fileURLToPath(new URL('./senders/pychromecast-sender.py', import.meta.url));

interface Served {
  nascast: NasCast;
  urls: { url: string; shortUrl: string; badUrl: string };
}

/** NasCast serving a 6 s film and a 2 s clip made by ffmpeg; its devices given by address, discovery off. */
async function serveFilms(t: ExecutionContext, devices: string[] = [], options: { port?: number; appId?: string } = {}): Promise<Served & { token: string }> {
  const media = await tempDir(t);
  await mkdir(path.join(media, 'Films'));
  await makeMp4(path.join(media, 'Films', 'Film.mp4'), { seconds: 6, faststart: true });
  await makeMp4(path.join(media, 'Films', 'Short.mp4'), { seconds: 2, faststart: true });
  const token = randomBytes(24).toString('base64url');
  const nascast = new NasCast({ media: [{ name: 'Films', path: path.join(media, 'Films') }], port: options.port ?? 0, host: '127.0.0.1', secrets: { token, signingKey: randomBytes(32) }, discovery: false, devices, rescanInterval: 0, ...(options.appId ? { appId: options.appId } : {}) });
  t.teardown(() => nascast.stop());
  await nascast.start();
  const url = nascast.media(nascast.library.find('Film')!).url;
  const shortUrl = nascast.media(nascast.library.find('Short')!).url;
  return { nascast, token, urls: { url, shortUrl, badUrl: `${nascast.url}/media/AAAAAAAAAAAAAAAAAAAAAA?g=0.AAAAAAAAAAAAAAAAAAAAAA` } };
}

/** The statuses a controller subscribed to the device `Den` sees, as they come. */
async function watchDen(t: ExecutionContext, nascast: NasCast, token: string): Promise<PlayerStatus[]> {
  const controller = new ControlClient({ url: nascast.control.url(), token });
  t.teardown(() => controller.close());
  const seen: PlayerStatus[] = [];
  controller.on('status', (_device, status) => seen.push(status));
  await controller.connect();
  await controller.subscribe('Den');
  return seen;
}

interface PythonRun {
  code: number | null;
  steps: Array<Record<string, unknown>>;
  stderr: string;
}

/** Runs the pychromecast sender to its end (or kills it after `ms`); its JSON lines. */
function pychromecast(t: ExecutionContext, args: string[], ms = 120_000, onStep: (step: Record<string, unknown>) => void = () => {}): Promise<PythonRun> {
  const child = spawn('/usr/bin/python3', [PYCHROMECAST, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  const steps: Array<Record<string, unknown>> = [];
  let stderr = '';
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    for (let end = partial.indexOf('\n'); end >= 0; end = partial.indexOf('\n')) {
      const step = JSON.parse(partial.slice(0, end)) as Record<string, unknown>;
      partial = partial.slice(end + 1);
      steps.push(step);
      onStep(step);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, steps, stderr });
    });
  });
}

test.serial('pychromecast finds the simulator over mDNS, plays a NasCast file, pauses, seeks, sets and mutes the volume, stops, sees FINISHED at the real end and a load failure as a failure', async (t) => {
  t.timeout(180_000);
  const { urls } = await serveFilms(t);
  const den = await startSimulator(t, { name: 'Den', advertise: true });
  const run = await pychromecast(t, ['play', 'Den', urls.url, urls.shortUrl, urls.badUrl]);
  t.is(run.code, 0, `${JSON.stringify(run.steps)}\n${run.stderr}`);
  const step = (name: string): Record<string, unknown> | undefined => run.steps.find((entry) => entry.step === name);
  t.like(step('found'), { host: '127.0.0.1', port: den.port });
  t.is(Math.round(Number(step('playing')?.duration)), 6, 'the real duration');
  t.true(Number(step('seeked')?.position) >= 1.5);
  t.like(step('stopped'), { reason: 'CANCELLED' });
  t.true(Number(step('finished')?.position) <= 2.05, 'never past the end');
  t.like(step('load-answered'), { type: 'LOAD_FAILED', detailedErrorCode: 104 });
  t.deepEqual(run.steps.map((entry) => entry.step), ['found', 'connected', 'launched', 'playing', 'paused', 'seeked', 'resumed', 'volume', 'muted', 'unmuted', 'stopped', 'finished', 'load-answered', 'load-failed', 'quit', 'done']);
});

test.serial('@foxxmd/chromecast-client, led to the simulator by its mDNS records, plays a NasCast file through every action and sees the failure', async (t) => {
  t.timeout(120_000);
  const { urls } = await serveFilms(t);
  const den = await startSimulator(t, { name: 'Den', advertise: true });
  const found = await findCastDevice('Den', 10_000);
  t.is(found.host, '127.0.0.1', 'the A record of the SRV target');
  t.is(found.port, den.port);
  t.regex(found.target, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.local$/);
  const steps = await driveWithChromecastClient(found.host, found.port, urls);
  t.deepEqual(steps.filter((step) => !step.ok), [], JSON.stringify(steps));
  t.deepEqual(steps.map((step) => step.step), ['launched', 'loaded', 'playing', 'paused', 'seeked', 'resumed', 'volume', 'muted', 'stopped', 'short loaded', 'finished', 'load failed']);
});

test.serial("pychromecast pauses what NasCast plays: NasCast's player and its controllers follow", async (t) => {
  t.timeout(120_000);
  const den = await startSimulator(t, { name: 'Den', advertise: true });
  const { nascast, token } = await serveFilms(t, [`Den=${den.host}:${den.port}`]);
  await eventually(() => nascast.devices().length === 1, 10_000, 'the device listed');
  const player = await nascast.player('Den');
  await player.load(nascast.media(nascast.library.find('Film')!));
  const seen = await watchDen(t, nascast, token);
  const run = await pychromecast(t, ['pause', 'Den']);
  t.is(run.code, 0, `${JSON.stringify(run.steps)}\n${run.stderr}`);
  t.like(run.steps.find((entry) => entry.step === 'joined'), { title: 'Film' });
  await eventually(() => player.status().state === 'PAUSED', 5000, "NasCast's player to see PAUSED");
  await eventually(() => seen.at(-1)?.state === 'PAUSED', 5000, 'the controller to see PAUSED');
});

test.serial("pychromecast pauses what NasCast's own receiver app plays in Chromium: the app exposes the media namespace, and NasCast's controllers follow", async (t) => {
  if (!requireTestNamespace(t)) return;
  t.timeout(180_000);
  const appId = 'A1B2C3D4';
  const port = await freePort();
  const den = await startSimulator(t, { name: 'Den', advertise: true, receiverApps: { [appId]: `http://127.0.0.1:${port}/receiver/` }, appStartTimeoutMs: 30_000 });
  const { nascast, token } = await serveFilms(t, [`Den=${den.host}:${den.port}`], { port, appId });
  await eventually(() => nascast.devices().length === 1, 10_000, 'the device listed');
  const player = await nascast.player('Den');
  await player.load(nascast.media(nascast.library.find('Film')!));
  t.is(den.runningApp, appId, 'our receiver app, not the Default Media Receiver');
  const seen = await watchDen(t, nascast, token);
  const run = await pychromecast(t, ['pause', 'Den']);
  t.is(run.code, 0, `${JSON.stringify(run.steps)}\n${run.stderr}`);
  await eventually(async () => (await den.receiverPage?.evaluate(() => document.querySelector('video')?.paused)) === true, 10_000, 'the video paused on the page');
  await eventually(() => seen.at(-1)?.state === 'PAUSED', 10_000, 'the controller to see PAUSED');
});

test.serial('pychromecast pauses what NasCast plays through a Homebridge TV: the TV in the Home app shows it paused', async (t) => {
  t.timeout(240_000);
  const media = await tempDir(t);
  await mkdir(path.join(media, 'Films'));
  await makeMp4(path.join(media, 'Films', 'Film.mp4'), { seconds: 30, faststart: true });
  await startSimulator(t, { name: 'Den', advertise: true });
  const external = await freePort();
  const bridge = await launchHomebridge(await tempDir(t), {
    bridge: { name: 'NasCast Sender Bridge', username: '0E:4C:11:22:33:55', port: await freePort(), pin: PIN, advertiser: 'bonjour-hap' },
    ports: { start: external, end: external + 10 },
    platforms: [{ platform: 'NasCast', name: 'NasCast', media: [{ name: 'Films', path: path.join(media, 'Films') }], port: await freePort(), inputs: [{ name: 'Film', media: 'Films/Film.mp4' }] }],
  });
  t.teardown(async () => {
    await bridge.stop();
    if (!t.passed) t.log(bridge.log().slice(-4000));
  });
  await eventually(() => bridge.ports.has('Den'), 60_000, 'the TV published');
  const tv = await HapTelevision.open(bridge.ports.get('Den')!);
  await eventually(async () => (await tv.read(HAP.active)).value === 0, 30_000, 'the TV answering');
  t.is(await tv.write(HAP.active, 1), 0);
  await eventually(async () => (await tv.read(HAP.currentMediaState)).value === 0, 30_000, 'CurrentMediaState PLAY');
  const run = await pychromecast(t, ['pause', 'Den']);
  t.is(run.code, 0, `${JSON.stringify(run.steps)}\n${run.stderr}`);
  await eventually(async () => (await tv.read(HAP.currentMediaState)).value === 1, 10_000, 'CurrentMediaState PAUSE after pychromecast paused');
  t.is(bridge.process.exitCode, null, 'Homebridge is still up');
});
