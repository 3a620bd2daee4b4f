// Runs inside a loopback-only network namespace (bench/control.ts makes it): Chromium
// must not reach the outside. Prints one JSON line of figures.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ControlClient } from '../src/control/client.ts';
import { mountControl } from '../src/players/mount.ts';
import { MediaServer } from '../src/http/server.ts';
import { MediaLibrary } from '../src/library/library.ts';
import { QUIET_CHROMIUM_ARGS } from '../src/simulator/receiver-browser.ts';
import { generateToken } from '../src/secrets.ts';
import { makeMp4 } from '../test/helpers/ffmpeg.ts';
import { CHROMIUM } from '../test/helpers/chromium.ts';

const COMMANDS = 1000;
const CONTROLLERS = 1000;
const BROADCASTS = 100;

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'nascast-bench-control-'));
const secrets = { token: generateToken(), signingKey: Buffer.from(generateToken()) };
const library = new MediaLibrary({ roots: [{ name: 'Films', path: work }], key: secrets.signingKey, rescanInterval: 0, watch: false });
const server = new MediaServer({ library, secrets, port: 0, host: '127.0.0.1' });
// The rate limits guard a LAN; here they would only cap the bench's own pace.
const control = mountControl(server, { secrets, ratePerSecond: 100_000, maxBufferedBytes: 64 * 1024 * 1024 });
const browser = await chromium.launchPersistentContext(await fs.mkdtemp(path.join(work, 'profile-')), {
  executablePath: CHROMIUM,
  headless: true,
  args: [...QUIET_CHROMIUM_ARGS],
});
const clients: ControlClient[] = [];
try {
  await makeMp4(path.join(work, 'film.mp4'), { seconds: 600, faststart: true });
  await library.start();
  await server.start();
  const page = await browser.newPage();
  await page.goto(control.receiverPageUrl('Bench Screen'));
  const device = 'browser:bench-screen';
  const url = `ws://127.0.0.1:${server.port}/control`;
  const client = new ControlClient({ url, token: secrets.token });
  clients.push(client);
  await client.connect();
  await client.subscribe(device);
  while (!control.hub.receivers.some((receiver) => receiver.device === device)) await new Promise((resolve) => setTimeout(resolve, 20));
  await client.play(device, { media: library.folder('Films')!.items[0]!.id });

  // Round trip: a command, the <video> element's change, and the page's status back to the controller.
  let waiting: { state: string; resolve(): void } | undefined;
  client.on('status', (_device, status) => {
    if (waiting && status.state === waiting.state) waiting.resolve();
  });
  const roundTrips: number[] = [];
  const pings: number[] = [];
  for (let i = 0; i < COMMANDS; i++) {
    const state = i % 2 === 0 ? 'PAUSED' : 'PLAYING';
    const started = performance.now();
    const seen = new Promise<void>((resolve) => (waiting = { state, resolve }));
    void (i % 2 === 0 ? client.pause(device) : client.resume(device));
    await seen;
    roundTrips.push(performance.now() - started);
    // Reference: the hub's own round trip (ping → ok), no receiver and no media element.
    const pinged = performance.now();
    await client.request('ping', {});
    pings.push(performance.now() - pinged);
  }

  // Fan-out: one status to many subscribed controllers.
  const many = await Promise.all(
    Array.from({ length: CONTROLLERS }, async () => {
      const controller = new ControlClient({ url, token: secrets.token, requestTimeoutMs: 60_000 });
      clients.push(controller);
      await controller.connect();
      await controller.subscribe('bench-fanout');
      return controller;
    }),
  );
  const fanOut: number[] = [];
  for (let round = 0; round < BROADCASTS; round++) {
    let remaining = many.length;
    const started = performance.now();
    const all = new Promise<void>((resolve) => {
      for (const controller of many) {
        const onStatus = (from: string, status: { position: number }): void => {
          if (from !== 'bench-fanout' || status.position !== round) return;
          controller.off('status', onStatus);
          if (--remaining === 0) resolve();
        };
        controller.on('status', onStatus);
      }
    });
    control.hub.publishStatus('bench-fanout', { state: 'PLAYING', position: round, volume: 1, muted: false });
    await all;
    fanOut.push(performance.now() - started);
  }
  console.log(JSON.stringify({ roundTrips, pings, fanOut, controllers: many.length }));
} finally {
  for (const client of clients) client.close();
  await browser.close();
  await control.close();
  await server.stop();
  await library.close();
  await fs.rm(work, { recursive: true, force: true });
}
