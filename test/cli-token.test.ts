import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { runCli, servedAddresses, type ServedAddresses } from './helpers/cli.ts';
import { tempDir, writeTree } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

const TOKEN = 'a-token-of-our-own-0123456789';

async function serve(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServedAddresses & { storage: string }> {
  const media = await tempDir(t);
  await writeTree(media, { 'Films/film.mp4': 'film' });
  const storage = path.join(await tempDir(t), 'config');
  const cli = runCli(t, ['serve', '--media', media, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery', ...args], env);
  return { ...(await servedAddresses(cli)), storage };
}

async function apiStatus(url: string, token: string): Promise<number> {
  return (await request(url, '/api/library', { headers: { authorization: `Bearer ${token}` } })).status;
}

test('serve takes its token from --token-file, so that it is not in ps', async (t) => {
  const file = path.join(await tempDir(t), 'token');
  await fs.writeFile(file, `${TOKEN}\nthe second line is not read\n`, { mode: 0o600 });
  const { httpsUrl } = await serve(t, ['--token-file', file]);
  t.is(await apiStatus(httpsUrl, TOKEN), 200);
  t.is(await apiStatus(httpsUrl, 'the-second-line-is-not-read'), 401);
});

test('serve takes its token from $NASCAST_TOKEN', async (t) => {
  const { httpsUrl } = await serve(t, [], { NASCAST_TOKEN: TOKEN });
  t.is(await apiStatus(httpsUrl, TOKEN), 200);
});

test('the control commands take the server token from --token-file too', async (t) => {
  const { httpsUrl, fingerprint } = await serve(t, [], { NASCAST_TOKEN: TOKEN });
  const file = path.join(await tempDir(t), 'token');
  await fs.writeFile(file, TOKEN);
  // Another storage folder: the token can only come from the file.
  const elsewhere = await tempDir(t);
  const ls = runCli(t, ['ls', '--server', httpsUrl, '--fingerprint', fingerprint, '--token-file', file, '--storage', elsewhere, '--json']);
  t.is(await ls.exited, 0, ls.stderr);
  t.like(JSON.parse(ls.stdout), { path: '' });
  const wrong = runCli(t, ['ls', '--server', httpsUrl, '--fingerprint', fingerprint, '--storage', elsewhere], { NASCAST_TOKEN: 'not-the-token-at-all-0000' });
  t.is(await wrong.exited, 1);
  t.regex(wrong.stderr, /refused the token: give the right one with --token, --token-file or \$NASCAST_TOKEN/);
});

test('a bad token, token file or $NASCAST_TOKEN is a usage error that says what is wrong, at once', async (t) => {
  const dir = await tempDir(t);
  const fifo = path.join(dir, 'fifo');
  await promisify(execFile)('mkfifo', [fifo]);
  const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
    [['--token', 'a'], {}, /option '--token <token>' argument 'a' is invalid\. a token has at least 16 characters/],
    [['--token-file', path.join(dir, 'missing')], {}, /^nascast: cannot read --token-file .*missing: ENOENT\n$/],
    [['--token-file', fifo], {}, /^nascast: --token-file .*fifo is not a regular file\n$/],
    [['--token-file', dir], {}, /^nascast: --token-file .* is not a regular file\n$/],
    [[], { NASCAST_TOKEN: 'short' }, /^nascast: \$NASCAST_TOKEN: a token has at least 16 characters/],
    [[], { NASCAST_TOKEN: 'has a space in it, somewhere' }, /^nascast: \$NASCAST_TOKEN: a token has no spaces or control characters/],
  ];
  for (const [args, env, message] of cases) {
    const cli = runCli(t, ['serve', '--media', dir, '--port', '0', '--host', '127.0.0.1', '--storage', path.join(dir, 'config'), '--no-discovery', ...args], env);
    t.is(await cli.exited, 2, args.join(' ') || JSON.stringify(env));
    t.regex(cli.stderr, message);
  }
});

test('the help says where else a token can come from', async (t) => {
  for (const command of ['serve', 'ls']) {
    const help = runCli(t, [command, '--help']);
    t.is(await help.exited, 0);
    const text = help.stdout.replace(/\s+/g, ' ');
    t.regex(text, /--token-file <file>/);
    t.regex(text, /other users can see it in ps: prefer --token-file or \$NASCAST_TOKEN/);
  }
});

test('a reader that goes away early (nascast … | head) ends the command quietly', async (t) => {
  const help = runCli(t, ['serve', '--help']);
  help.child.stdout.destroy();
  t.is(await help.exited, 0);
  t.notRegex(help.stderr, /EPIPE|Unhandled/);
});
