import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { SecretsError } from '../src/errors.ts';
import { loadSecrets, SECRETS_FILE } from '../src/secrets.ts';
import { CLI, exitedWithin, runCli, runCommand, servedAddresses } from './helpers/cli.ts';
import { tempDir, writeTree } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';
import { freePort } from './helpers/ports.ts';

// How `nascast serve` starts where its storage folder is odd: read-only, not a folder
// at all, or with something other than a file where the secrets belong.

const run = promisify(execFile);
const TOKEN = randomBytes(24).toString('base64url');

async function withSecrets(t: ExecutionContext, mode: number): Promise<string> {
  const storage = await tempDir(t);
  await fs.writeFile(path.join(storage, SECRETS_FILE), JSON.stringify({ token: TOKEN, signingKey: randomBytes(32).toString('base64url') }), { mode });
  await fs.chmod(path.join(storage, SECRETS_FILE), mode);
  return storage;
}

async function media(t: ExecutionContext): Promise<string> {
  const dir = await tempDir(t);
  await writeTree(dir, { 'film.mp4': 'film' });
  return dir;
}

function serveArgs(mediaDir: string, storage: string): string[] {
  return ['serve', '--media', `Films=${mediaDir}`, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery'];
}

test('a read-only storage folder: the server starts and serves, with a warning for the note and one for the mode it cannot tighten', async (t) => {
  // A read-only bind mount in a mount namespace of the command's own: root too gets
  // EROFS there (it ignores permission bits), and nothing outside sees the mount.
  const storage = await withSecrets(t, 0o640);
  const script = 'mount --bind -o ro "$0" "$0" && exec "$@"';
  const cli = runCommand(t, 'unshare', ['--mount', 'sh', '-c', script, storage, process.execPath, CLI, ...serveArgs(await media(t), storage)]);
  const { httpsUrl, fingerprint } = await servedAddresses(cli);
  t.is((await request(httpsUrl, '/api/library', { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
  cli.child.kill('SIGTERM');
  t.is(await exitedWithin(cli, 10_000), 0, cli.stderr);
  const warnings = cli.stderr.trim().split('\n');
  t.is(warnings.length, 5, cli.stderr);
  t.regex(warnings[0]!, /^warning: cannot tighten .*nascast-secrets\.json to mode 0600 \(EROFS\): other users on this machine may be able to read the token$/);
  // HTTPS still: with a certificate for this run, as nothing can be kept.
  t.regex(warnings[1]!, /^warning: cannot keep the self-signed certificate in .* \(EROFS\): this run uses one made now, so its fingerprint changes at every start$/);
  // The library too: in memory, as its index cannot be written.
  t.regex(warnings[2]!, /^warning: library index ".*nascast-library\.db" cannot be used \(unable to open database file\); the library is kept in memory only$/);
  // Converted segments too: in the temp folder.
  t.regex(warnings[3]!, /^warning: cannot keep converted segments in .*streams \(.*\); using .*nascast-streams-/);
  t.is(warnings[4], `warning: cannot leave the note ${path.join(storage, `nascast-server-${new URL(httpsUrl).port}.json`)} (EROFS): other nascast commands on this machine reach this server only with --server ${httpsUrl} --fingerprint ${fingerprint}`);
  t.deepEqual((await fs.readdir(storage)).sort(), [SECRETS_FILE]);
  t.is((await fs.stat(path.join(storage, SECRETS_FILE))).mode & 0o777, 0o640);
});

test('a note that cannot be written (a folder in its place) is a warning, and the server runs', async (t) => {
  const storage = await withSecrets(t, 0o600);
  // The note is named by the port: a folder in its place for a port known in advance.
  const port = await freePort();
  await fs.mkdir(path.join(storage, `nascast-server-${port}.json`));
  const cli = runCli(t, [...serveArgs(await media(t), storage), '--port', String(port)]);
  const [, url] = await cli.line(/^NasCast listening on (\S+)\n/m);
  t.is((await request(url!, '/healthz')).status, 200);
  t.regex(cli.stderr, /^warning: cannot leave the note .*nascast-server-\d+\.json \(EISDIR\)/);
  cli.child.kill('SIGTERM');
  t.is(await exitedWithin(cli, 10_000), 0, cli.stderr);
});

test('a storage folder that cannot be made (/proc/nonexistent) fails at once with one line', async (t) => {
  for (const args of [serveArgs(await media(t), '/proc/nonexistent'), ['token', '--storage', '/proc/nonexistent/deeper']]) {
    const cli = runCli(t, args);
    t.is(await exitedWithin(cli, 10_000), 1, args.join(' '));
    t.regex(cli.stderr, /^nascast: cannot write \/proc\/nonexistent\/(deeper\/)?nascast-secrets\.json: ENOENT: no such file or directory, mkdir '\/proc\/nonexistent'\n$/);
  }
});

test('a secrets file that is a FIFO is refused at once, not read (which would block until a writer comes)', async (t) => {
  const storage = await tempDir(t);
  await run('mkfifo', [path.join(storage, SECRETS_FILE)]);
  for (const args of [serveArgs(await media(t), storage), ['token', '--storage', storage]]) {
    const cli = runCli(t, args);
    t.is(await exitedWithin(cli, 10_000), 1, args.join(' '));
    t.regex(cli.stderr, /^nascast: .*nascast-secrets\.json is not a regular file \(it is a FIFO\): NasCast keeps its secrets in a regular file there\n$/);
  }
});

test('a secrets file of more than a few KiB is refused without being read whole', async (t) => {
  const storage = await tempDir(t);
  // Valid JSON, padded: only its size is wrong.
  const body = JSON.stringify({ token: TOKEN, signingKey: randomBytes(32).toString('base64url') });
  await fs.writeFile(path.join(storage, SECRETS_FILE), body.replace('{', '{' + ' '.repeat(1 << 20)), { mode: 0o600 });
  await t.throwsAsync(loadSecrets(storage), { instanceOf: SecretsError, message: /nascast-secrets\.json is damaged \(larger than 4096 bytes\): delete it to make new secrets/ });
});

test('SIGTERM while start-up waits on something slow stops the process at once', async (t) => {
  const storage = await withSecrets(t, 0o600);
  // A disk that never answers (a hung mount): reading the secrets never completes. The
  // pending read holds the process open, as real I/O does.
  const hang = `
    import fs from 'node:fs/promises';
    for (const name of ['open', 'readFile']) {
      const real = fs[name];
      fs[name] = (file, ...rest) => {
        if (!String(file).endsWith('${SECRETS_FILE}')) return real(file, ...rest);
        process.stdout.write('(test) the disk hangs\\n');
        return new Promise(() => setInterval(() => {}, 60_000));
      };
    }`;
  const cli = runCommand(t, process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hang)}`, CLI, ...serveArgs(await media(t), storage)]);
  await cli.line(/^\(test\) the disk hangs\n/m);
  cli.child.kill('SIGTERM');
  t.is(await exitedWithin(cli, 5000), 0);
  t.false(cli.stdout.includes('listening'));
});
