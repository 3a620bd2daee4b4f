import fs from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { ChromecastSimulator } from '../src/simulator/index.ts';
import { type CliRun, runCli, runToEnd } from './helpers/cli.ts';
import { film } from './helpers/ffmpeg.ts';
import { eventually, tempDir, writeTree } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

// Real media (test/fixtures/film.mp4): the simulator probes what it is asked to play, as a device does.
const films = await film();

// The nascast command as a user runs it: `nascast serve` in the background (reaching two
// simulators by address, no mDNS), and each subcommand a child process of its own that
// finds the server through the note in the storage folder.

function nascast(t: ExecutionContext, args: string[]): Promise<CliRun> {
  return runToEnd(t, args);
}

function title(simulator: ChromecastSimulator): string | undefined {
  return (simulator.mediaStatus()?.media as { metadata?: { title?: string } } | undefined)?.metadata?.title;
}

async function served(t: ExecutionContext) {
  const media = await tempDir(t);
  await writeTree(media, { 'Films/Cartoons/Episode 1.mp4': films, 'Films/Cartoons/Episode 2.mp4': films, 'Films/Clip.mp4': films, 'Films/Clip.en.srt': '1\n00:00:01,000 --> 00:00:02,000\nHi\n' });
  const storage = path.join(await tempDir(t), 'config');
  const kitchen = await startSimulator(t, { name: 'Kitchen' });
  const living = await startSimulator(t, { name: 'Living Room TV' });
  const server = runCli(t, ['serve', '--media', `Films=${media}/Films`, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery', '--device', `Kitchen=${kitchen.host}:${kitchen.port}`, '--device', `Living Room TV=${living.host}:${living.port}`]);
  await server.line(/^NasCast listening on/m);
  // `--storage` is how each command finds this server (and its token).
  const run = (...args: string[]): Promise<CliRun> => nascast(t, [...args, '--storage', storage]);
  await eventually(async () => (JSON.parse((await run('devices', '--json')).stdout || '[]') as unknown[]).length === 2, 10_000, 'both devices listed');
  return { media, storage, kitchen, living, server, run };
}

test('devices, ls and status print tables, and JSON with --json', async (t) => {
  const { run } = await served(t);
  const devices = await run('devices');
  t.is(devices.code, 0);
  t.regex(devices.stdout, /^NAME\s+KIND\s+ONLINE\s+ID\n/);
  t.regex(devices.stdout, /Kitchen\s+chromecast\s+yes/);
  const json = JSON.parse((await run('devices', '--json')).stdout) as Array<{ name: string; kind: string; online: boolean }>;
  t.deepEqual(json.map((device) => device.name).sort(), ['Kitchen', 'Living Room TV']);

  const roots = JSON.parse((await run('ls', '--json')).stdout) as { folders: Array<{ name: string }> };
  t.deepEqual(roots.folders.map((folder) => folder.name), ['Films']);
  const films = await run('ls', 'Films');
  t.is(films.code, 0);
  t.regex(films.stdout, /^NAME\s+TITLE\s+KIND\s+SIZE\s+PLAY WITH\n/);
  t.regex(films.stdout, /Cartoons\/\s+folder\s+2 items\s+Films\/Cartoons/);
  t.regex(films.stdout, /Clip\.mp4\s+Clip\s+video\s+12\.3 KiB\s+Films\/Clip\.mp4/);
  const missing = await run('ls', 'Nope');
  t.is(missing.code, 1);
  t.is(missing.stderr, "nascast: no folder 'Nope' in the library\n");

  const idle = JSON.parse((await run('status', 'Kitchen', '--json')).stdout) as { state: string };
  t.is(idle.state, 'IDLE');
});

test('cast a folder as a queue, then pause, resume, seek, volume, mute, next, prev and stop each take effect', async (t) => {
  const { kitchen, run, storage } = await served(t);
  const cast = await run('cast', 'kitchen', 'Films/Cartoons', '--json');
  t.is(cast.code, 0, cast.stderr);
  t.like(JSON.parse(cast.stdout), { device: 'kitchen', state: 'PLAYING', title: 'Episode 1' });
  t.is((kitchen.mediaStatus()?.items as unknown[]).length, 2);

  t.is((await run('pause', 'Kitchen')).code, 0);
  t.is(kitchen.mediaStatus()?.playerState, 'PAUSED');
  t.is((await run('resume', 'Kitchen')).code, 0);
  t.is(kitchen.mediaStatus()?.playerState, 'PLAYING');
  t.is((await run('seek', 'Kitchen', '1:30')).code, 0);
  t.true(Math.abs(Number(kitchen.mediaStatus()?.currentTime) - 90) < 2);
  // A negative time comes after `--`, so that it is not read as an option. Paused, so
  // that the time the commands take does not move the position the seek counts from.
  t.is((await run('pause', 'Kitchen')).code, 0);
  const pausedAt = Number(kitchen.mediaStatus()?.currentTime);
  t.true(Math.abs(pausedAt - 90) < 5, `paused at ${pausedAt}`);
  t.is((await nascast(t, ['seek', '--storage', storage, 'Kitchen', '--', '-30'])).code, 0);
  t.true(Math.abs(Number(kitchen.mediaStatus()?.currentTime) - (pausedAt - 30)) < 0.5, `at ${String(kitchen.mediaStatus()?.currentTime)}, paused at ${pausedAt}`);
  t.is((await run('resume', 'Kitchen')).code, 0);
  t.is((await run('volume', 'Kitchen', '30')).code, 0);
  t.is(kitchen.volume.level, 0.3);
  t.is((await run('volume', 'Kitchen', '+10')).code, 0);
  t.is(kitchen.volume.level, 0.4);
  t.is((await run('mute', 'Kitchen')).code, 0);
  t.true(kitchen.volume.muted);
  t.is((await run('mute', 'Kitchen', '--off')).code, 0);
  t.false(kitchen.volume.muted);
  t.is((await run('next', 'Kitchen')).code, 0);
  await eventually(() => title(kitchen) === 'Episode 2', 5000, 'the next episode');
  t.is((await run('prev', 'Kitchen')).code, 0);
  await eventually(() => title(kitchen) === 'Episode 1', 5000, 'the previous episode');
  const status = await run('status', 'Kitchen');
  t.regex(status.stdout, /^Kitchen: PLAYING\n {2}Episode 1 /);
  t.regex(status.stdout, /volume 40%/);
  t.is((await run('stop', 'Kitchen')).code, 0);
  t.is(kitchen.mediaStatus()?.playerState, 'IDLE');
});

test('mistakes get one line that says what to do, and the exit code: 1 for errors, 2 for usage', async (t) => {
  const { run, storage } = await served(t);
  const wrongDevice = await run('cast', 'Kitchn', 'Films/Clip.mp4');
  t.is(wrongDevice.code, 1);
  t.regex(wrongDevice.stderr, /^nascast: no device named 'Kitchn'; found: (Kitchen, Living Room TV|Living Room TV, Kitchen)\n$/);
  const missingFile = await run('cast', 'Kitchen', './missing.mp4');
  t.is(missingFile.code, 1);
  t.is(missingFile.stderr, 'nascast: no file or folder at ./missing.mp4\n');
  const notInLibrary = await run('cast', 'Kitchen', 'Films/Nothing.mp4');
  t.is(notInLibrary.code, 1);
  t.is(notInLibrary.stderr, "nascast: no media or folder 'Films/Nothing.mp4' in the library\n");

  for (const args of [['seek', 'Kitchen', 'soon'], ['volume', 'Kitchen', '150'], ['cast', 'Kitchen'], ['frobnicate']]) {
    const usage = await run(...args);
    t.is(usage.code, 2, args.join(' '));
    t.regex(usage.stderr, /error: .+\n\(run with --help for usage\)\n$/s, args.join(' '));
  }
  const localWithServer = await nascast(t, ['cast', 'Kitchen', storage, '--server', 'http://127.0.0.1:9']);
  t.is(localWithServer.code, 2);
  t.regex(localWithServer.stderr, /is a file on this machine, and http:\/\/127\.0\.0\.1:9 plays its own library/);

  // A server that is not there, and one that refuses the token.
  const refused = await nascast(t, ['devices', '--server', 'http://127.0.0.1:9', '--token', 'x'.repeat(32)]);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /^nascast: cannot reach the NasCast server at ws:\/\/127\.0\.0\.1:9\/control: is `nascast serve` running there\?\n$/);
  // Each server leaves a note of its own, named by its port.
  const noteName = (await fs.readdir(storage)).find((name) => /^nascast-server-\d+\.json$/.test(name))!;
  const note = JSON.parse(await fs.readFile(path.join(storage, noteName), 'utf8')) as { controlUrl: string; fingerprint: string };
  t.regex(note.controlUrl, /^wss:\/\//);
  const badToken = await nascast(t, ['devices', '--server', note.controlUrl, '--fingerprint', note.fingerprint, '--token', 'x'.repeat(32)]);
  t.is(badToken.code, 1);
  t.regex(badToken.stderr, /refused the token: give the right one with --token/);
});

test('status --follow prints each change until Ctrl-C; devices --watch keeps the list and stops on Ctrl-C', async (t) => {
  const { run, storage } = await served(t);
  t.is((await run('cast', 'Living Room TV', 'Films/Clip.mp4', '--subtitles', 'en', '--json')).code, 0);
  const follow = runCli(t, ['status', 'Living Room TV', '--follow', '--json', '--storage', storage]);
  await follow.line(/"state":"PLAYING"/);
  t.is((await run('pause', 'Living Room TV')).code, 0);
  await follow.line(/"state":"PAUSED"/);
  follow.child.kill('SIGINT');
  t.is(await follow.exited, 0);

  const watch = runCli(t, ['devices', '--watch', '--json', '--storage', storage]);
  const [line] = await watch.line(/^\[.*\]\n/);
  t.deepEqual((JSON.parse(line) as Array<{ name: string }>).map((device) => device.name).sort(), ['Kitchen', 'Living Room TV']);
  watch.child.kill('SIGINT');
  t.is(await watch.exited, 0);
});

test('with no server running, cast serves a file of this machine itself; token shows and rotates the token', async (t) => {
  const media = await tempDir(t);
  await writeTree(media, { 'Holiday/Beach.mp4': films });
  const storage = path.join(await tempDir(t), 'config');
  const tv = await startSimulator(t, { name: 'Den' });
  const cast = await nascast(t, ['cast', 'Den', path.join(media, 'Holiday', 'Beach.mp4'), '--json', '--device', `Den=${tv.host}:${tv.port}`, '--no-discovery', '--storage', storage]);
  t.is(cast.code, 0, cast.stderr);
  t.like(JSON.parse(cast.stdout), { state: 'PLAYING', title: 'Beach', served: 'in this process' });
  t.regex((tv.mediaStatus()?.media as { contentId: string }).contentId, /^http:\/\/[^/]+\/media\//);

  const { token } = JSON.parse(await fs.readFile(path.join(storage, 'nascast-secrets.json'), 'utf8')) as { token: string };
  t.is((await nascast(t, ['token', '--storage', storage])).stdout, `${token}\n`);
  const rotated = await nascast(t, ['token', '--rotate', '--json', '--storage', storage]);
  const answer = JSON.parse(rotated.stdout) as { token: string; rotated: boolean };
  t.true(answer.rotated);
  t.not(answer.token, token);
  t.regex(rotated.stderr, /restart `nascast serve`/);
  t.is((await nascast(t, ['token', '--storage', storage])).stdout, `${answer.token}\n`);
});

test('every subcommand has help with examples', async (t) => {
  for (const command of ['serve', 'cast', 'devices', 'ls', 'pause', 'resume', 'stop', 'seek', 'volume', 'mute', 'next', 'prev', 'status', 'simulate', 'token']) {
    const help = await nascast(t, [command, '--help']);
    t.is(help.code, 0, command);
    t.regex(help.stdout, /Examples?:\n {2}\$ nascast /, command);
  }
});
