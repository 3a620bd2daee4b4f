// Resource campaigns: many hostile or careless clients at once, with bounded counts and
// time, measuring what they cost the server. test/resource-campaigns.test.ts asserts
// the bounds; `npm run bench` runs them bigger and prints the figures with the targets.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { limitHeapGrowth } from '../../src/heap.ts';
import { MediaServer } from '../../src/http/server.ts';
import { MediaLibrary } from '../../src/library/library.ts';
import { mountControl } from '../../src/players/mount.ts';

/** What one campaign cost. */
export interface CampaignFigures {
  readonly clients: number;
  /** RSS after the campaign (its clients gone, or while they stall) minus before, MiB. */
  readonly rssGrowthMiB: number;
  /** `/healthz` latency while the campaign ran, ms. */
  readonly healthzP99Ms: number;
  /** Open descriptors after the campaign minus before. */
  readonly fdGrowth: number;
  readonly seconds: number;
  /** V8's heap in use after a full collection, after minus before, MiB: what is really kept. */
  readonly heapGrowthMiB: number;
}

const MiB = 1024 * 1024;

// What a campaign leaves behind is what a full collection does not free: measure after one.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

/** RSS and V8's heap in use, after a full collection. */
function settled(): { rss: number; heap: number } {
  collect();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
}

interface Served {
  readonly server: MediaServer;
  readonly library: MediaLibrary;
  readonly control: ReturnType<typeof mountControl>;
  readonly dir: string;
  close(): Promise<void>;
}

async function serve(files: Record<string, Buffer>, sendTimeoutMs?: number): Promise<Served> {
  // As NasCast.start() and `nascast serve` run it: V8's heap kept from growing with churn.
  limitHeapGrowth();
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'nascast-campaign-'));
  for (const [name, body] of Object.entries(files)) await fsp.writeFile(path.join(dir, name), body);
  const secrets = { token: randomBytes(24).toString('base64url'), signingKey: randomBytes(32) };
  const library = new MediaLibrary({ roots: [{ name: 'Media', path: dir }], key: secrets.signingKey, rescanInterval: 0, watch: false, probe: false });
  const server = new MediaServer({ library, secrets, port: 0, host: '127.0.0.1', ...(sendTimeoutMs ? { sendTimeoutMs } : {}) });
  const control = mountControl(server, { secrets });
  await library.start();
  await server.start();
  return {
    server,
    library,
    control,
    dir,
    async close() {
      await control.close();
      await server.stop();
      await library.close();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

// /healthz is asked from a process of its own, as a monitor (a container's health check,
// an uptime probe) asks it: in the server's process the client's own callbacks would wait
// in the same event loop, and each round trip would count two or three of its turns.
const PROBE = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const ask = () => new Promise((resolve, reject) => {
  const started = performance.now();
  http.get({ host: '127.0.0.1', port: Number(process.argv[1]), path: '/healthz', agent }, (response) => {
    response.resume();
    response.on('end', () => resolve(performance.now() - started));
  }).on('error', reject);
});
let stopping = false;
process.stdin.resume();
process.stdin.on('end', () => (stopping = true));
(async () => {
  await ask(); // untimed: the probe's own first connection
  process.stdout.write('ready\\n');
  const latencies = [];
  const limit = Number(process.argv[2]);
  while (!stopping && latencies.length < limit) {
    latencies.push(await ask());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.stdout.write(JSON.stringify(latencies) + '\\n');
  process.exit(0);
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** A /healthz probe in a process of its own, asking every 20 ms; `stop()` ends it, or it ends after `limit` answers: the latencies. */
async function startProbe(port: number, limit = Number.MAX_SAFE_INTEGER): Promise<{ ended(): boolean; stop(): Promise<number[]> }> {
  const child = spawn(process.execPath, ['-e', PROBE, String(port), String(limit)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await until(() => output.startsWith('ready\n') || child.exitCode !== null, 10_000, 'the /healthz probe to start');
  return {
    ended: () => child.exitCode !== null,
    async stop() {
      if (child.exitCode === null) child.stdin.end();
      const code = await exited;
      const line = output.split('\n')[1];
      if (code !== 0 || line === undefined) throw new Error(`campaign: the /healthz probe ended with ${String(code)}`);
      return JSON.parse(line) as number[];
    },
  };
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

const openFds = (): number => fs.readdirSync('/proc/self/fd').length;

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`campaign: timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** /healthz of an idle server, asked `count` times: the reference the campaigns' figures are read against. */
export async function idleHealthz(count: number): Promise<{ healthzP99Ms: number }> {
  const served = await serve({ 'a.mp4': Buffer.alloc(16) });
  try {
    const probe = await startProbe(served.server.port, count);
    await until(() => probe.ended(), count * 1000, 'the idle /healthz samples');
    return { healthzP99Ms: p99(await probe.stop()) };
  } finally {
    await served.close();
  }
}

// The receivers run in a process of their own, like the stalled clients below: their
// sockets and buffers are not the server's to count.
const RECEIVERS = `
const [ws, url, from, count, tokens] = process.argv.slice(1);
const { WebSocket } = require(ws);
const issued = JSON.parse(tokens);
const one = async (index) => {
  const socket = new WebSocket(url);
  socket.on('error', () => {});
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  const welcomed = new Promise((resolve) => socket.once('message', resolve));
  socket.send(JSON.stringify({ v: 1, type: 'hello', token: issued[Math.floor(index / 16) % issued.length], role: 'receiver', name: 'Screen ' + index }));
  await welcomed;
  for (let second = 0; second < 10; second++) {
    socket.send(JSON.stringify({ v: 1, type: 'status', state: 'PLAYING', position: second, volume: 1, muted: false, media: { url: 'http://nas/media/' + 'x'.repeat(4000), title: 'A film' } }));
  }
  socket.close();
  await new Promise((resolve) => socket.once('close', resolve));
};
(async () => {
  for (let start = Number(from); start < Number(from) + Number(count); start += 50) {
    await Promise.all(Array.from({ length: Math.min(50, Number(from) + Number(count) - start) }, (_, offset) => one(start + offset)));
    process.stdout.write('wave\\n');
  }
})().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
`;

/**
 * `count` browser targets, in waves of 50 (under the receiver limit), each registering
 * with a receiver token, sending ten statuses with long URLs and leaving.
 */
export async function departedReceivers(count: number): Promise<CampaignFigures> {
  const served = await serve({ 'a.mp4': Buffer.alloc(16) });
  const url = `ws://127.0.0.1:${served.server.port}/control`;
  const hub = served.control.hub;
  // Tokens issued in the same second are one token, and one token has at most 16 receivers.
  const tokens = Array.from({ length: Math.ceil((count + 50) / 16) }, (_, index) => served.control.receiverTokens.issue('*', Date.now() - index * 1000));
  const run = async (from: number, clients: number): Promise<void> => {
    // ws by its path: the child runs wherever the caller's working folder is.
    const child = spawn(process.execPath, ['-e', RECEIVERS, createRequire(import.meta.url).resolve('ws'), url, String(from), String(clients), JSON.stringify(tokens)], { stdio: ['ignore', 'ignore', 'inherit'] });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    if (code !== 0) throw new Error(`campaign: the receivers' process ended with ${String(code)}`);
    await until(() => hub.receivers.length === 0, 10_000, 'the receivers to leave');
  };
  try {
    await run(0, 50); // warm-up: first-use allocations are not the campaign's
    const fdsBefore = openFds();
    const before = settled();
    const probe = await startProbe(served.server.port);
    const started = performance.now();
    await run(50, count);
    const seconds = (performance.now() - started) / 1000;
    const latencies = await probe.stop();
    const after = settled();
    return { clients: count, rssGrowthMiB: (after.rss - before.rss) / MiB, heapGrowthMiB: (after.heap - before.heap) / MiB, healthzP99Ms: p99(latencies), fdGrowth: openFds() - fdsBefore, seconds };
  } finally {
    await served.close();
  }
}

// The stalled clients run in a process of their own: a paused socket still reads up to
// its high-water mark into its process, which would be counted as the server's.
const STALLED_CLIENTS = `
const net = require('node:net');
const [port, target, count] = process.argv.slice(1);
const sockets = [];
for (let index = 0; index < Number(count); index++) {
  const socket = net.connect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  socket.pause();
  socket.write('GET ' + target + ' HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nRange: bytes=0-\\r\\n\\r\\n');
  sockets.push(socket);
}
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

/** `count` clients asking for a 24 MiB file and reading nothing, until the server closes them. */
export async function slowReaders(count: number, sendTimeoutMs = 3000): Promise<CampaignFigures> {
  const body = Buffer.alloc(24 * MiB, 7);
  const served = await serve({ 'big.mp4': body }, sendTimeoutMs);
  const item = served.library.find('big')!;
  const target = new URL(served.server.mediaUrl(item));
  let requests = 0;
  let closed = 0;
  served.server.httpServer.on('request', () => requests++);
  served.server.httpServer.on('connection', (socket) => socket.once('close', () => closed++));
  const children: ChildProcess[] = [];
  /** Starts `clients` stalled requests; resolves once every one has reached the server, with a promise of their closing. */
  const stall = async (clients: number): Promise<{ closing: Promise<void> }> => {
    const goal = requests + clients;
    const closedGoal = closed + clients;
    const child = spawn(process.execPath, ['-e', STALLED_CLIENTS, String(served.server.port), `${target.pathname}${target.search}`, String(clients)], { stdio: ['pipe', 'ignore', 'inherit'] });
    children.push(child);
    await until(() => requests >= goal, 20_000, 'every request to reach the server');
    return { closing: until(() => closed >= closedGoal, sendTimeoutMs * 4 + 20_000, 'the server to close the stalled connections') };
  };
  const dropClients = async (): Promise<void> => {
    await Promise.all(
      children.splice(0).map(async (child) => {
        if (child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }),
    );
  };
  try {
    // Warm-up: the read buffer pools (bounded, 20 MiB in all) fill once, as any served
    // film fills them; what the campaign then adds is what stalled readers cost.
    await Promise.all(Array.from({ length: 12 }, () => fetch(served.server.mediaUrl(item).replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${served.server.port}`)).then((response) => response.arrayBuffer())));
    await (await stall(Math.min(20, count))).closing;
    await dropClients();
    const fdsBefore = openFds();
    const before = settled();
    const started = performance.now();
    const { closing } = await stall(count);
    // Every response has written until its socket pushed back: what they hold now is the cost.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stalled = settled();
    // Asked while they stall, after the collection above (a full one stops the server's loop: not theirs).
    const probe = await startProbe(served.server.port);
    await closing;
    const latencies = await probe.stop();
    await dropClients();
    await until(() => openFds() <= fdsBefore + 2, 5000, 'the client process to go');
    return { clients: count, rssGrowthMiB: (stalled.rss - before.rss) / MiB, heapGrowthMiB: (stalled.heap - before.heap) / MiB, healthzP99Ms: p99(latencies), fdGrowth: openFds() - fdsBefore, seconds: (performance.now() - started) / 1000 };
  } finally {
    await dropClients();
    await served.close();
  }
}
