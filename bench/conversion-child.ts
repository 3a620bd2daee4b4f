// Runs in a loopback-only network namespace (bench/conversion.ts): a 1080p file of each
// kind played on a browser target in Chromium, load and seek timed to PLAYING, each beside
// ffmpeg's own time to write the first segment from the same file; CPU per minute of
// media; and what 100 seeks and 20 stops leave behind.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { ControlClient } from '../src/control/client.ts';
import { MediaServer } from '../src/http/server.ts';
import { MediaLibrary } from '../src/library/library.ts';
import { ConversionRun } from '../src/media/conversion-run.ts';
import { ffmpegArgs } from '../src/media/ffmpeg-args.ts';
import { mountControl } from '../src/players/mount.ts';
import { QUIET_CHROMIUM_ARGS } from '../src/simulator/receiver-browser.ts';

const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_MEDIA_SECONDS ?? 600);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nascast-bench-conv-'));
const films = path.join(work, 'Films');
fs.mkdirSync(films);

/** The files: one 1080p H.264 picture, in each container and with the audio each mode needs. */
async function makeFiles(): Promise<void> {
  const source = path.join(work, 'source.mkv');
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=25:duration=${SECONDS}`, '-f', 'lavfi', '-i', `sine=sample_rate=48000:duration=${SECONDS}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '100', '-b:v', '6M', '-c:a', 'aac', '-b:a', '128k', source]);
  const copy = ['-v', 'error', '-y', '-i', source, '-map', '0', '-c:v', 'copy'];
  await run('ffmpeg', [...copy, '-c:a', 'copy', '-movflags', '+faststart', path.join(films, 'direct.mp4')]);
  // MOV: a container Chromium does not play and Cast devices do not list, streams it plays.
  await run('ffmpeg', [...copy, '-c:a', 'copy', '-f', 'mov', path.join(films, 'remux.mov')]);
  await run('ffmpeg', [...copy, '-c:a', 'ac3', '-ac', '6', path.join(films, 'audio.mkv')]);
  await run('ffmpeg', ['-v', 'error', '-y', '-i', source, '-map', '0', '-c:v', 'mpeg4', '-q:v', '4', '-g', '100', '-c:a', 'copy', path.join(films, 'video.mkv')]);
}

const secrets = { token: 'bench-token-0123456789abcdef', signingKey: Buffer.alloc(32, 7) };
await makeFiles();
const library = new MediaLibrary({ roots: [{ name: 'Films', path: films }], key: secrets.signingKey, rescanInterval: 0, watch: false });
await library.start();
await library.settled();
for (const item of library.roots[0]!.items) await waitProbed(item.id);
const server = new MediaServer({ library, secrets, port: 0, host: '127.0.0.1', streamDir: path.join(work, 'streams'), artworkDir: path.join(work, 'artwork') });
await server.start();
const control = mountControl(server, { secrets });
const client = new ControlClient({ url: `ws://127.0.0.1:${server.port}/control`, token: secrets.token });
await client.connect();
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nascast-bench-chromium-'));
const browser = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: [...QUIET_CHROMIUM_ARGS] });
const page = await browser.newPage();
await page.goto(control.receiverPageUrl('Bench Screen'));
await until(async () => (await client.devices()).some((device) => device.name === 'Bench Screen'), 20_000);
const screenId = (await client.devices()).find((device) => device.name === 'Bench Screen')!.id;
await client.subscribe(screenId);

const modes: Record<string, unknown> = {};
for (const kind of ['direct', 'remux', 'audio', 'video']) {
  const name = fs.readdirSync(films).find((file) => file.startsWith(kind))!;
  const loads: number[] = [];
  const seeks: number[] = [];
  let mode = '';
  for (let round = 0; round < 3; round++) {
    const played = (await client.play('Bench Screen', { media: `Films/${name}`, startAt: 0 })) as { elapsedMs: number; conversion?: { mode: string } };
    mode = played.conversion?.mode ?? 'direct';
    loads.push(played.elapsedMs);
    await until(() => playingPast(1), 20_000);
    const target = SECONDS * (0.8 - round * 0.1);
    // Seek → PLAYING as the device reports it: its first PLAYING status at the new place.
    const reported = new Promise<number>((resolve) => {
      const onStatus = (device: string, status: { state: string; position: number }, replay: boolean): void => {
        if (replay) return;
        if (device !== screenId || status.state !== 'PLAYING' || status.position < target - 0.5) return;
        client.off('status', onStatus);
        resolve(performance.now());
      };
      client.on('status', onStatus);
    });
    const start = performance.now();
    await client.seek('Bench Screen', target);
    seeks.push((await withDeadline(reported, 30_000)) - start);
    await until(() => playingPast(target), 30_000); // and its picture moves there
    await client.stop('Bench Screen');
  }
  const reference = mode === 'direct' ? undefined : { load: await firstSegmentMs(name, 0), seek: await firstSegmentMs(name, 0.8) };
  modes[kind] = { mode, loads, seeks, reference, ...(mode === 'direct' ? {} : await cpuPerMinute(name)) };
}
const leftovers = await seeksAndStops();
client.close();
await browser.close();
fs.rmSync(profile, { recursive: true, force: true });
await control.close();
await server.stop();
await library.close();
fs.rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify({ seconds: SECONDS, cores: os.cpus().length, modes, leftovers }));

async function playingPast(position: number): Promise<boolean> {
  return page.$eval('video', (video, at) => !video.paused && !video.seeking && video.readyState >= 3 && video.currentTime > at, position);
}

/** ffmpeg writing the first segment from the file at `share` of it, as the stream would: its own time, the limit. */
async function firstSegmentMs(name: string, share: number): Promise<number> {
  const { item, plan, segments, keyframes } = await planned(name);
  const from = segments.starts.findIndex((start) => start >= SECONDS * share);
  const timed = new ConversionRun({ plan, segments, keyframes, from: Math.max(0, from) }, item.name);
  const start = performance.now();
  const first = new Promise<number>((resolve, reject) => {
    timed.once('segment', () => resolve(performance.now() - start));
    timed.once('error', reject);
  });
  await timed.start(item.absolutePath);
  const elapsed = await first;
  timed.stop();
  return elapsed;
}

/** CPU seconds ffmpeg spends per minute of media, converting a minute from the middle, and how much faster than real time. */
async function cpuPerMinute(name: string): Promise<{ cpuPerMinute: number; speed: number }> {
  const { item, plan, segments, keyframes } = await planned(name);
  const from = segments.starts.findIndex((start) => start >= SECONDS / 2);
  const args = ffmpegArgs({ plan, segments, keyframes, from });
  const input = args.indexOf('-i');
  const timedArgs = [...args.slice(0, input), '-t', '60', ...args.slice(input, -1).map((arg) => (arg === '/dev/fd/3' ? item.absolutePath : arg)), '/dev/null'].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const start = performance.now();
  const { stderr } = await run('bash', ['-c', `TIMEFORMAT='%U %S'; time ffmpeg -y ${timedArgs}`]);
  const wall = (performance.now() - start) / 1000;
  const [user, system] = stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { cpuPerMinute: user! + system!, speed: 60 / wall };
}

async function planned(name: string) {
  const item = library.roots[0]!.items.find((entry) => entry.name === name)!;
  const { plan } = { plan: server.signedMedia.plan(item, { profile: control.browserTargets.profile('Bench Screen') }) };
  const stream = await server.streams.open(item, 'bench', plan);
  const source = stream.source;
  await server.streams.conversions.drop(`${item.id}/bench`);
  return { item, plan, segments: source.segments, keyframes: source.keyframes };
}

/** 100 seeks (each far: ffmpeg restarted) and 20 stops on the audio conversion; then what is left: ffmpeg processes, descriptors, bytes of segments. */
async function seeksAndStops(): Promise<{ ffmpeg: number; descriptorsBefore: number; descriptorsAfter: number; tempBytes: number }> {
  const descriptorsBefore = fs.readdirSync('/proc/self/fd').length;
  const item = library.roots[0]!.items.find((entry) => entry.name.startsWith('audio'))!;
  const plan = server.signedMedia.plan(item, { profile: control.browserTargets.profile('Bench Screen') });
  for (let stop = 0; stop < 20; stop++) {
    const stream = await server.streams.open(item, 'leftovers', plan);
    const count = stream.source.segments.starts.length;
    for (let seek = 0; seek < 5; seek++) await stream.segment(Math.floor(((stop * 5 + seek) * 7919) % count));
    await server.streams.conversions.drop(`${item.id}/leftovers`);
  }
  await until(() => Promise.resolve(ffmpegChildren() === 0), 10_000).catch(() => undefined);
  return { ffmpeg: ffmpegChildren(), descriptorsBefore, descriptorsAfter: fs.readdirSync('/proc/self/fd').length, tempBytes: bytesUnder(path.join(work, 'streams')) };
}

function bytesUnder(dir: string): number {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).reduce((sum, entry) => sum + fs.statSync(path.join(entry.parentPath, entry.name)).size, 0);
}

function ffmpegChildren(): number {
  return fs.readdirSync('/proc').filter((entry) => {
    try {
      return /^\d+$/.test(entry) && fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'ffmpeg' && fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1] === String(process.pid);
    } catch {
      return false;
    }
  }).length;
}

async function waitProbed(id: string): Promise<void> {
  await until(() => Promise.resolve(library.details(library.get(id)!).info !== undefined), 60_000);
}

function withDeadline<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${timeoutMs} ms`)), timeoutMs).unref());
  return Promise.race([promise, deadline]);
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
