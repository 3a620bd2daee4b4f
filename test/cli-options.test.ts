import fs from 'node:fs/promises';
import test, { type ExecutionContext } from 'ava';
import { parseLevel } from '../src/cli/format.ts';
import { collectDevice } from '../src/cli/options.ts';
import { type CliRun, runToEnd } from './helpers/cli.ts';
import { tempDir } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

// Options that used to be taken as they came: each mistake is a usage error (exit 2)
// that says what is wrong, before anything starts.

function nascast(t: ExecutionContext, args: string[]): Promise<CliRun> {
  // A command that took the mistake would start serving: a deadline, not the test's timeout.
  return runToEnd(t, args, {}, 10_000);
}

async function usageError(t: ExecutionContext, args: string[], message: RegExp): Promise<void> {
  const { code, stderr } = await nascast(t, args);
  t.is(code, 2, `${args.join(' ')}: ${stderr}`);
  t.regex(stderr, message, args.join(' '));
}

test('--media with an empty folder or an empty name is a usage error (it used to serve the current folder)', async (t) => {
  const storage = await tempDir(t);
  const folder = await tempDir(t);
  const serve = (media: string): string[] => ['serve', '--media', media, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery'];
  await usageError(t, serve('Films='), /argument 'Films=' is invalid\. expected a folder after 'Films='\./);
  await usageError(t, serve(''), /argument '' is invalid\. expected a folder\./);
  await usageError(t, serve(`=${folder}`), /is invalid\. expected a name before '=' \(Name=<dir>\), or the folder alone\./);
  await usageError(t, serve(` =${folder}`), /expected a name before '='/);
  await usageError(t, ['ls', '--media', 'Films=', '--storage', storage], /expected a folder after 'Films='/);
});

test('--device with a port out of range or a malformed [name=]host[:port] is a usage error', async (t) => {
  const storage = await tempDir(t);
  const folder = await tempDir(t);
  const serve = (device: string): string[] => ['serve', '--media', folder, '--device', device, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery'];
  await usageError(t, serve('TV=10.0.0.2:99999'), /argument 'TV=10\.0\.0\.2:99999' is invalid\. expected a port from 1 to 65535 after the host, not '99999'\./);
  await usageError(t, serve('TV=10.0.0.2:0'), /expected a port from 1 to 65535 after the host, not '0'/);
  await usageError(t, serve('TV=10.0.0.2:'), /expected a port from 1 to 65535 after the host, not ''/);
  await usageError(t, serve('TV=10.0.0.2:tv'), /expected \[name=\]host\[:port\], not 'TV=10\.0\.0\.2:tv'\./);
  await usageError(t, serve('TV='), /expected \[name=\]host\[:port\], not 'TV='\./);
  await usageError(t, serve('=10.0.0.2'), /expected a name before '=' \(Name=host\[:port\]\), or the address alone\./);
  await usageError(t, serve('living room'), /expected \[name=\]host\[:port\], not 'living room'\./);
  await usageError(t, serve('fe80::1'), /not 'fe80::1' \(an IPv6 address goes in brackets, as in \[fe80::1\]:8009\)\./);
  await usageError(t, ['devices', '--device', 'TV=10.0.0.2:99999', '--storage', storage], /expected a port from 1 to 65535/);
});

test('--device reads names, hosts, bracketed IPv6 addresses and ports as the library does', (t) => {
  t.deepEqual(collectDevice('Living Room TV=10.0.20.31:32187'), [{ host: '10.0.20.31', port: 32187, name: 'Living Room TV' }]);
  t.deepEqual(collectDevice('tv.local'), [{ host: 'tv.local', port: 8009 }]);
  t.deepEqual(collectDevice(' Kitchen = [fe80::1%eth0]:8010 '), [{ host: 'fe80::1%eth0', port: 8010, name: 'Kitchen' }]);
  t.deepEqual(collectDevice('[::1]', [{ host: 'a', port: 1 }]), [{ host: 'a', port: 1 }, { host: '::1', port: 8009 }]);
});

test('simulate --name "" is a usage error', async (t) => {
  for (const name of ['', '   ']) await usageError(t, ['simulate', '--name', name, '--port', '0', '--host', '127.0.0.1', '--no-advertise'], /argument '\s*' is invalid\. expected a name that is not empty\./);
});

test('volume takes 50% as 50 (and +10% as +10), and refuses 50%% and abc', async (t) => {
  const kitchen = await startSimulator(t, { name: 'Kitchen' });
  const storage = await tempDir(t);
  const folder = await tempDir(t);
  // No server: NasCast in the command's own process, reaching the simulator by address.
  const volume = (level: string): Promise<CliRun> => nascast(t, ['volume', 'Kitchen', level, '--media', folder, '--device', `Kitchen=${kitchen.host}:${kitchen.port}`, '--no-discovery', '--storage', storage]);
  const half = await volume('50%');
  t.is(half.code, 0, half.stderr);
  t.is(kitchen.volume.level, 0.5);
  for (const junk of ['50%%', 'abc', '%', '101%']) {
    const refused = await volume(junk);
    t.is(refused.code, 2, junk);
    t.regex(refused.stderr, new RegExp(`expected a volume from 0 to 100, or \\+n / -n, not '${junk}'`), junk);
  }
  t.is(kitchen.volume.level, 0.5);
  t.deepEqual(parseLevel('+10%'), { relative: 0.1 });
  t.deepEqual(parseLevel('-10%'), { relative: -0.1 });
});

test('--version (and -V) prints the version from package.json', async (t) => {
  const { version } = JSON.parse(await fs.readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const run = await nascast(t, [flag]);
    t.is(run.code, 0);
    t.is(run.stdout, `${version}\n`);
    t.is(run.stderr, '');
  }
});
