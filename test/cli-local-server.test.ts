import fs from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { exitedWithin, runCli, runToEnd, servedAddresses, type CliProcess, type ServedAddresses } from './helpers/cli.ts';
import { film } from './helpers/ffmpeg.ts';
import { tempDir, writeTree } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

// Real media (test/fixtures/film.mp4): the simulator probes what it is asked to play, as a device does.
const films = await film();

// The running server is the one truth for the commands on its machine: each `nascast
// serve` listens on a Unix socket of its own in the storage folder (mode 0600, no token
// asked) and names it in a note of its own, so that two servers never clash, a server
// started on a token of its own is still reached, and `nascast token` never shows a
// token that server refuses (issue 19 item 21).

const TOKEN = 'a-token-of-our-own-0123456789';

interface Served extends ServedAddresses {
  readonly cli: CliProcess;
  readonly media: string;
}

async function serve(t: ExecutionContext, storage: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const media = await tempDir(t);
  await writeTree(media, { 'Films/Clip.mp4': films });
  const cli = runCli(t, ['serve', '--media', `Films=${media}/Films`, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery', ...args], env);
  return { cli, ...(await servedAddresses(cli)), media };
}

async function stop(server: Served): Promise<void> {
  server.cli.child.kill('SIGTERM');
  if ((await exitedWithin(server.cli, 10_000)) !== 0) throw new Error(`the server did not stop cleanly: ${server.cli.stderr}`);
}

const exists = (file: string): Promise<boolean> => fs.lstat(file).then(() => true, () => false);
const note = (storage: string, port: number): string => path.join(storage, `nascast-server-${port}.json`);
const socket = (storage: string, port: number): string => path.join(storage, `nascast-server-${port}.sock`);

async function storageDir(t: ExecutionContext): Promise<string> {
  return path.join(await tempDir(t), 'config');
}

test('serve listens on a socket of mode 0600 in its storage folder, names it in a note of its own (0600, no token in it), and removes both when it stops', async (t) => {
  const storage = await storageDir(t);
  const server = await serve(t, storage);
  const noteFile = note(storage, server.port);
  const socketFile = socket(storage, server.port);
  const socketStat = await fs.lstat(socketFile);
  t.true(socketStat.isSocket());
  t.is(socketStat.mode & 0o777, 0o600);
  t.is((await fs.stat(noteFile)).mode & 0o777, 0o600);
  const written = await fs.readFile(noteFile, 'utf8');
  t.like(JSON.parse(written), { pid: server.cli.child.pid, port: server.port, url: server.url, socket: socketFile, roots: [{ name: 'Films', path: await fs.realpath(path.join(server.media, 'Films')) }] });
  const { token } = JSON.parse(await fs.readFile(path.join(storage, 'nascast-secrets.json'), 'utf8')) as { token: string };
  t.false(written.includes(token));

  await stop(server);
  t.false(await exists(noteFile));
  t.false(await exists(socketFile));
});

test('the commands on this machine reach a server started on a token of its own over its socket, with no token; over its port they still need it', async (t) => {
  const storage = await storageDir(t);
  const server = await serve(t, storage, [], { NASCAST_TOKEN: TOKEN });
  const ls = await runToEnd(t, ['ls', '--json', '--storage', storage]);
  t.is(ls.code, 0, ls.stderr);
  t.deepEqual((JSON.parse(ls.stdout) as { folders: Array<{ name: string }> }).folders.map((folder) => folder.name), ['Films']);
  // Over TCP the stored token is refused: the socket is what lets the local command in.
  // (Named by its address with this storage folder, the server is reached over its socket
  // too: the stored token goes to another folder to make the command take the port.)
  const elsewhere = await storageDir(t);
  await fs.mkdir(elsewhere, { mode: 0o700 });
  await fs.copyFile(path.join(storage, 'nascast-secrets.json'), path.join(elsewhere, 'nascast-secrets.json'));
  const overPort = await runToEnd(t, ['ls', '--server', server.httpsUrl, '--fingerprint', server.fingerprint, '--storage', elsewhere]);
  t.is(overPort.code, 1);
  t.regex(overPort.stderr, /refused the token/);
  await stop(server);
});

test('nascast token does not show the stored token to a server that takes its own: it says where that one is', async (t) => {
  const file = path.join(await tempDir(t), 'token');
  await fs.writeFile(file, `${TOKEN}\n`, { mode: 0o600 });
  const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
    [['--token-file', file], {}, new RegExp(`it is the first line of ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(--token-file\\)\\n$`)],
    [[], { NASCAST_TOKEN: TOKEN }, /it is in its environment \(\$NASCAST_TOKEN\)\n$/],
    [['--token', TOKEN], {}, /it is on its command line \(--token\)\n$/],
  ];
  for (const [args, env, where] of cases) {
    const storage = await storageDir(t);
    const server = await serve(t, storage, args, env);
    const shown = await runToEnd(t, ['token', '--storage', storage]);
    t.is(shown.code, 1, args.join(' '));
    t.is(shown.stdout, '');
    t.regex(shown.stderr, new RegExp(`^nascast: the server running here at ${server.url} \\(pid ${server.cli.child.pid}\\) takes a token of its own, not the stored one, so it is not shown: `));
    t.regex(shown.stderr, where);
    t.false(shown.stderr.includes(TOKEN));
    await stop(server);
  }
  // A server on the stored token: that is the one shown.
  const storage = await storageDir(t);
  const server = await serve(t, storage);
  const { token } = JSON.parse(await fs.readFile(path.join(storage, 'nascast-secrets.json'), 'utf8')) as { token: string };
  const shown = await runToEnd(t, ['token', '--storage', storage]);
  t.is(shown.stdout, `${token}\n`);
  t.is(shown.stderr, '');
  await stop(server);
});

test('two servers with one storage folder: each has its own note and socket, a command asks which one, and stopping one leaves the other', async (t) => {
  const storage = await storageDir(t);
  const kitchen = await startSimulator(t, { name: 'Kitchen' });
  const den = await startSimulator(t, { name: 'Den' });
  const first = await serve(t, storage, ['--device', `Kitchen=${kitchen.host}:${kitchen.port}`]);
  const second = await serve(t, storage, ['--device', `Den=${den.host}:${den.port}`]);
  for (const server of [first, second]) {
    t.true(await exists(note(storage, server.port)));
    t.true((await fs.lstat(socket(storage, server.port))).isSocket());
  }
  const which = await runToEnd(t, ['devices', '--storage', storage]);
  t.is(which.code, 2);
  const [low, high] = [first, second].sort((a, b) => a.port - b.port);
  t.is(which.stderr, `nascast: 2 nascast servers run with the storage folder ${storage}: say which with --server ${low!.url} or --server ${high!.url}\n`);
  const chosen = await runToEnd(t, ['ls', '--json', '--server', second.url, '--storage', storage]);
  t.is(chosen.code, 0, chosen.stderr);

  await stop(second);
  t.false(await exists(note(storage, second.port)));
  t.false(await exists(socket(storage, second.port)));
  t.true(await exists(note(storage, first.port)), "the first server's note outlives the second");
  t.true(await exists(socket(storage, first.port)));
  const devices = await runToEnd(t, ['devices', '--json', '--storage', storage]);
  t.is(devices.code, 0, devices.stderr);
  t.deepEqual((JSON.parse(devices.stdout) as Array<{ name: string }>).map((device) => device.name), ['Kitchen']);
  await stop(first);
});

test('a note and socket left by a killed server are not taken for a server, and the next server on its port replaces them', async (t) => {
  const storage = await storageDir(t);
  const killed = await serve(t, storage);
  killed.cli.child.kill('SIGKILL');
  await exitedWithin(killed.cli, 10_000);
  t.true((await fs.lstat(socket(storage, killed.port))).isSocket(), 'a killed server leaves its socket');
  // And a note whose process runs (its pid reused since) but whose socket is gone.
  await fs.writeFile(note(storage, 1), JSON.stringify({ pid: process.pid, port: 1, url: 'http://127.0.0.1:1', controlUrl: 'ws://127.0.0.1:1/control', socket: socket(storage, 1), roots: [] }));
  const ls = await runToEnd(t, ['ls', '--storage', storage]);
  t.is(ls.code, 1);
  t.regex(ls.stderr, /^nascast: there is no library: no `nascast serve` runs here/);

  const next = await serve(t, storage, ['--port', String(killed.port)]);
  t.is(next.port, killed.port);
  t.is(next.cli.stderr, '', 'no warning: the stale socket was replaced');
  t.like(JSON.parse(await fs.readFile(note(storage, next.port), 'utf8')), { pid: next.cli.child.pid });
  const listed = await runToEnd(t, ['ls', '--json', '--storage', storage]);
  t.is(listed.code, 0, listed.stderr);
  await stop(next);
  t.false(await exists(socket(storage, next.port)));
});
