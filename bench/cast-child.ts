// Cast benchmark, run inside a loopback-only network namespace (bench/cast.ts
// makes it): mDNS would otherwise go out of the real interface. Prints one JSON line.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, DefaultMediaReceiver } from 'castv2-client';
import type { RequestResponseController } from 'castv2-client';
import { CastSession, DefaultMediaPlayer, type CastMedia, type ReceiverStatus } from '../src/cast/index.ts';
import { MediaServer } from '../src/http/server.ts';
import { MediaLibrary } from '../src/library/library.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const ROUNDS_FIRST_DEVICE = 7;
const LOADS = 40;
const ROUND_TRIPS = 400;

/** Wall time from spawning `args` to the first line it prints. */
function timeToFirstLine(args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => {
      resolve(performance.now() - started);
      child.kill();
    });
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && code !== null && reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

function rawRequest(controller: RequestResponseController, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => controller.request(data, (error, reply) => (error ? reject(error) : resolve(reply))));
}

/** `nascast simulate` in a process of its own, as a real device is; resolves with its port. */
function startSimulatorProcess(name: string): Promise<{ child: ChildProcess; port: number }> {
  const cli = path.join(here, '..', 'dist', 'src', 'cli', 'main.js');
  const child = spawn(process.execPath, [cli, 'simulate', '--name', name, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /on 127\.0\.0\.1:(\d+)/.exec(output);
      if (ready) resolve({ child, port: Number(ready[1]) });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`nascast simulate exited ${code}: ${output}`)));
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nascast-bench-cast-'));
let simulator: { child: ChildProcess; port: number } | undefined;
const key = randomBytes(32);
const library = new MediaLibrary({ roots: [{ name: 'Bench', path: work }], key, watch: false, rescanInterval: 0 });
const server = new MediaServer({ library, secrets: { token: randomBytes(24).toString('base64url'), signingKey: key }, port: 0, host: '127.0.0.1' });
let live: CastSession | undefined;
let raw: InstanceType<typeof Client> | undefined;
try {
  // Real media: the simulated device probes what it loads, as a Chromecast decodes it.
  fs.copyFileSync(path.join(import.meta.dirname, '..', 'test', 'fixtures', 'film.mp4'), path.join(work, 'Clip.mp4'));
  simulator = await startSimulatorProcess('Bench TV');
  const { port } = simulator;
  await library.start();
  await server.start();

  // Time to first device: a fresh process, discovery started at once, until `up`.
  const firstDevice: number[] = [];
  const nodeStart: number[] = [];
  for (let round = 0; round < ROUNDS_FIRST_DEVICE; round++) {
    firstDevice.push(await timeToFirstLine([path.join(here, 'first-device-child.ts'), 'Bench TV']));
    nodeStart.push(await timeToFirstLine(['-e', 'console.log(1)']));
  }

  // load() to PLAYING, through our session and player.
  live = new CastSession({ host: '127.0.0.1', port });
  await live.connect();
  const player = new DefaultMediaPlayer(live);
  const item = library.folder('Bench')!.items[0]!;
  const media: CastMedia = server.castMedia(item);
  const firstLoad = (await player.load(media)).elapsedMs; // includes launching the receiver
  const loads: number[] = [];
  for (let round = 0; round < LOADS; round++) loads.push((await player.load(media)).elapsedMs);

  // Round trips: pause/play and seek, each awaited until the device's MEDIA_STATUS.
  const pausePlay: number[] = [];
  const seeks: number[] = [];
  for (let round = 0; round < ROUND_TRIPS; round++) {
    pausePlay.push(await timed(() => (round % 2 === 0 ? player.pause() : player.play())));
    seeks.push(await timed(() => player.seek((round * 7) % 60)));
  }

  // Reference, same device and same run: castv2-client's own media controller with no wrapper.
  const client = new Client();
  raw = client;
  client.on('error', () => {});
  await new Promise<void>((resolve) => client.connect({ host: '127.0.0.1', port }, resolve));
  const status = await new Promise<ReceiverStatus>((resolve, reject) => client.getStatus((error, result) => (error ? reject(error) : resolve(result))));
  const app = await new Promise<InstanceType<typeof DefaultMediaReceiver>>((resolve, reject) =>
    client.join(status.applications![0]!, DefaultMediaReceiver, (error, joined) => (error ? reject(error) : resolve(joined))),
  );
  const mediaStatus = await rawRequest(app.media, { type: 'GET_STATUS' });
  const mediaSessionId = (mediaStatus.status as Array<{ mediaSessionId: number }>)[0]!.mediaSessionId;
  const rawPausePlay: number[] = [];
  for (let round = 0; round < ROUND_TRIPS; round++) {
    rawPausePlay.push(await timed(() => rawRequest(app.media, { type: round % 2 === 0 ? 'PAUSE' : 'PLAY', mediaSessionId })));
  }
  const rawLoads: number[] = [];
  for (let round = 0; round < LOADS; round++) {
    rawLoads.push(await timed(() => rawRequest(app.media, { type: 'LOAD', media: { contentId: media.url, contentType: media.contentType, streamType: 'BUFFERED' }, autoplay: true })));
  }
  console.log(JSON.stringify({ firstDevice, nodeStart, firstLoad, loads, pausePlay, seeks, rawPausePlay, rawLoads }));
} finally {
  raw?.close();
  live?.close();
  await server.stop();
  await library.close();
  const child = simulator?.child;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(work, { recursive: true, force: true });
}
