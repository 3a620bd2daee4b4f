// Small helpers shared by the benchmarks: child servers, wrk, RSS sampling.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

/** A server under test, in its own process. */
export interface Served {
  readonly name: string;
  readonly port: number;
  /** URL path of a file by name (NasCast's carry a grant). */
  path(file: string): string;
  /** PIDs whose RSS counts (nginx: master and worker). */
  pids(): number[];
  stop(): Promise<void>;
}

/** Starts a Node script that prints `{ port, paths? }` as its first line. */
export async function startNodeServer(name: string, script: string, args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await firstLine(child);
  const info = JSON.parse(first) as { port: number; paths?: Record<string, string> };
  return {
    name,
    port: info.port,
    path: (file) => info.paths?.[file] ?? `/${encodeURIComponent(file)}`,
    pids: () => [child.pid!],
    stop: () => stopChild(child),
  };
}

/** Runs nginx from Debian, unprivileged, from a config written here, on loopback. */
export async function startNginx(dir: string, root: string, port: number): Promise<Served> {
  fs.mkdirSync(`${dir}/logs`, { recursive: true });
  fs.writeFileSync(
    `${dir}/nginx.conf`,
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp;
  fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp;
  scgi_temp_path ${dir}/tmp;
  types { video/mp4 mp4; }
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`,
  );
  fs.mkdirSync(`${dir}/tmp`, { recursive: true });
  const child = spawn('nginx', ['-p', dir, '-c', `${dir}/nginx.conf`], { stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('error', () => {});
  await waitForPort(port);
  return {
    name: 'nginx',
    port,
    path: (file) => `/${encodeURIComponent(file)}`,
    pids: () => [child.pid!, ...childPids(child.pid!)],
    stop: () => stopChild(child),
  };
}

function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

/**
 * Resident memory of the processes, in MiB: all of it (`VmRSS`), or only the
 * anonymous part (`RssAnon`: heap and buffers, without the executable's mapped
 * code, which is about 55 MiB for any Node process).
 */
export function rssMiB(pids: number[], field: 'VmRSS' | 'RssAnon' = 'VmRSS'): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      kib += Number(match?.[1] ?? 0);
    } catch {
      // the process is gone
    }
  }
  return kib / 1024;
}

/** What one wrk run measured. */
export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly megabytesPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly peakRss: number;
  readonly peakAnonRss: number;
}

/** Runs wrk (one thread: the other core is the server's) and samples the server's RSS. */
export async function runWrk(options: {
  url: string;
  connections: number;
  seconds: number;
  script?: string;
  pids: number[];
}): Promise<WrkResult> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', ...(options.script ? ['-s', options.script] : []), options.url];
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let peakRss = 0;
  let peakAnonRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMiB(options.pids));
    peakAnonRss = Math.max(peakAnonRss, rssMiB(options.pids, 'RssAnon'));
  }, 100);
  await new Promise((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  const number = (pattern: RegExp): number => Number(pattern.exec(output)?.[1] ?? NaN);
  return {
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    megabytesPerSecond: toMB(/Transfer\/sec:\s+([\d.]+\w+)/.exec(output)?.[1]),
    p50: toMs(/^\s+50%\s+(\S+)/m.exec(output)?.[1]),
    p99: toMs(/^\s+99%\s+(\S+)/m.exec(output)?.[1]),
    errors: number(/Non-2xx or 3xx responses:\s+(\d+)/) || 0,
    peakRss,
    peakAnonRss,
  };
}

function toMs(value: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(value ?? '');
  if (!match) return NaN;
  const n = Number(match[1]);
  return match[2] === 'us' ? n / 1000 : match[2] === 's' ? n * 1000 : n;
}

function toMB(value: string | undefined): number {
  const match = /^([\d.]+)(B|KB|MB|GB)$/.exec(value ?? '');
  if (!match) return NaN;
  const scale = { B: 1 / 1e6, KB: 1024 / 1e6, MB: 1024 ** 2 / 1e6, GB: 1024 ** 3 / 1e6 }[match[2] as 'B'];
  return Number(match[1]) * scale;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The `q`-quantile (0..1) by nearest rank. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/**
 * Runs `bench/<script>` on this Node inside a loopback-only network namespace (mDNS and
 * Chromium must not reach the outside) and returns the JSON of its last stdout line.
 */
export function runChildInNetNamespace(script: string): unknown {
  const child = path.join(path.dirname(new URL(import.meta.url).pathname), script);
  const rootless = process.getuid?.() === 0 ? [] : ['--map-root-user'];
  const output = execFileSync('unshare', ['--net', ...rootless, 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, child], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.trim().split('\n').pop()!);
}
