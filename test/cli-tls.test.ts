import { X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { runCli } from './helpers/cli.ts';
import { tempDir, writeTree } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

const TOKEN = 'a-token-of-our-own-0123456789';

test('serve has HTTPS on by default: it prints the HTTPS address and the fingerprint; a remote command pins it, and refuses another or the token in clear', async (t) => {
  const media = await tempDir(t);
  await writeTree(media, { 'Films/film.mp4': 'film' });
  const storage = path.join(await tempDir(t), 'config');
  const server = runCli(t, ['serve', '--media', `Films=${media}/Films`, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery'], { NASCAST_TOKEN: TOKEN });
  const [, port] = await server.line(/^NasCast listening on http:\/\/127\.0\.0\.1:(\d+)\n/m);
  await server.line(/^Control channel: wss:\/\/127\.0\.0\.1:\d+\/control\n/m);
  const [, fingerprint] = await server.line(/^HTTPS for the web page and controllers: https:\/\/127\.0\.0\.1:\d+\/ \(certificate SHA-256 fingerprint ([0-9A-F:]{95}): pin it with --fingerprint\)\n/m);
  const tokenFile = path.join(await tempDir(t), 'token');
  await fs.writeFile(tokenFile, TOKEN);
  const elsewhere = await tempDir(t); // another storage: only --server can find it

  const pinned = runCli(t, ['ls', '--server', `https://127.0.0.1:${port}`, '--fingerprint', fingerprint!, '--token-file', tokenFile, '--storage', elsewhere, '--json']);
  t.is(await pinned.exited, 0, pinned.stderr);
  t.like(JSON.parse(pinned.stdout), { path: '' });

  const other = runCli(t, ['ls', '--server', `https://127.0.0.1:${port}`, '--fingerprint', '00'.repeat(32), '--token-file', tokenFile, '--storage', elsewhere]);
  t.is(await other.exited, 1);
  t.regex(other.stderr, /is not the one pinned: its certificate's fingerprint is [0-9A-F:]+, not 0{64}/);

  const clear = runCli(t, ['ls', '--server', `http://127.0.0.1:${port}`, '--token-file', tokenFile, '--storage', elsewhere]);
  t.is(await clear.exited, 1);
  t.regex(clear.stderr, /takes the token only over HTTPS: give --server https:\/\/… \(and --fingerprint/);

  // The same machine needs neither: its local socket, also when the server is named by its address.
  const local = runCli(t, ['ls', '--storage', storage, '--json']);
  t.is(await local.exited, 0, local.stderr);
  const named = runCli(t, ['ls', '--server', `http://127.0.0.1:${port}`, '--storage', storage, '--json']);
  t.is(await named.exited, 0, named.stderr);
  // The certificate was made at first start and is kept for the next.
  t.is(new X509Certificate(await fs.readFile(path.join(storage, 'nascast-cert.pem'))).fingerprint256, fingerprint!);
  server.child.kill('SIGTERM');
  t.is(await server.exited, 0);
});

test('--cert without --key is a usage error', async (t) => {
  const media = await tempDir(t);
  const cli = runCli(t, ['serve', '--media', media, '--port', '0', '--host', '127.0.0.1', '--storage', path.join(media, 'config'), '--no-discovery', '--cert', '/etc/ssl/nas.pem']);
  t.is(await cli.exited, 2);
  t.regex(cli.stderr, /^nascast: --cert and --key go together/);
});

test('serve --no-tls: plain HTTP for people and the API too, no certificate made; --no-tls with --cert is a usage error', async (t) => {
  const media = await tempDir(t);
  await writeTree(media, { 'Films/film.mp4': 'film' });
  const storage = path.join(await tempDir(t), 'config');
  const server = runCli(t, ['serve', '--media', `Films=${media}/Films`, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery', '--no-tls'], { NASCAST_TOKEN: TOKEN });
  const [, url] = await server.line(/^NasCast listening on (http:\/\/127\.0\.0\.1:\d+)\n/m);
  await server.line(/^Control channel: ws:\/\/127\.0\.0\.1:\d+\/control\n/m);
  await server.line(/^Open this on any screen/m);
  t.notRegex(server.stdout, /HTTPS|fingerprint/);
  t.is((await request(url!, '/api/library', { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
  t.false((await fs.readdir(storage)).some((name) => name.endsWith('.pem')));
  server.child.kill('SIGTERM');
  t.is(await server.exited, 0);

  const both = runCli(t, ['serve', '--media', media, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery', '--no-tls', '--cert', '/c.pem', '--key', '/k.pem']);
  t.is(await both.exited, 2);
  t.regex(both.stderr, /^nascast: --no-tls turns HTTPS off/);
});
