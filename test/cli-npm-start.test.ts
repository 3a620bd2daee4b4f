import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { eventually, tempDir } from './helpers/media-server.ts';

// `npm start` under a supervisor that signals only the process it started (timeout, a
// container's init, a service manager): the server must stop with npm. The real
// `start` script runs under the real npm, in a package of its own whose script is the
// same line with the build replaced by `true` (the tests run on a build already made,
// and a build here would race the other tests' use of dist/).

const ROOT = path.resolve(import.meta.dirname, '..');

interface NpmStart {
  readonly npm: ChildProcess;
  readonly storage: string;
  /** The pids of `node …/main.js serve` processes with this run's storage folder. */
  servers(): number[];
}

async function npmStart(t: ExecutionContext): Promise<NpmStart> {
  const { scripts } = JSON.parse(await fs.readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  t.regex(scripts.start, /^npm run build && /);
  const dir = await tempDir(t);
  await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'npm-start-check', version: '0.0.0', private: true, scripts: { start: scripts.start.replace(/^npm run build && /, 'true && ') } }));
  await fs.symlink(path.join(ROOT, 'dist'), path.join(dir, 'dist'));
  await fs.symlink(path.join(ROOT, 'examples'), path.join(dir, 'examples'));
  const storage = path.join(dir, 'storage');
  const npm = spawn('npm', ['start', '--', '--port', '0', '--host', '127.0.0.1', '--no-discovery', '--storage', storage], { cwd: dir, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'warn' } });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const servers = (): number[] => serverPids(storage);
  t.teardown(() => {
    for (const pid of servers()) process.kill(pid, 'SIGKILL');
    if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
  });
  await eventually(() => /NasCast listening on http/.test(output), 30_000, `npm start to serve; output: ${output}`);
  t.is(servers().length, 1, output);
  return { npm, storage, servers };
}

function serverPids(storage: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile
    }
    if (argv.some((arg) => arg.endsWith('dist/src/cli/main.js')) && argv.includes('serve') && argv.includes(storage)) pids.push(Number(entry));
  }
  return pids;
}

test('npm start stopped by SIGTERM to npm alone: the server stops too, cleanly', async (t) => {
  const { npm, storage, servers } = await npmStart(t);
  const exited = new Promise((resolve) => npm.once('exit', resolve));
  npm.kill('SIGTERM');
  await eventually(() => servers().length === 0, 10_000, 'no server left');
  await exited;
  t.false(readdirSync(storage).some((name) => name.startsWith('nascast-server-')), 'the server removed its note and socket: it stopped on its own path');
});

test('npm start killed (SIGKILL to npm alone): the server notices and stops', async (t) => {
  const { npm, storage, servers } = await npmStart(t);
  npm.kill('SIGKILL');
  await eventually(() => servers().length === 0, 10_000, 'no server left');
  t.false(readdirSync(storage).some((name) => name.startsWith('nascast-server-')));
});
