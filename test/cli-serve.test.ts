import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import test from 'ava';
import { runCli, servedAddresses } from './helpers/cli.ts';
import { tempDir, writeTree } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

async function setup(t: import('ava').ExecutionContext) {
  const media = await tempDir(t);
  await writeTree(media, { 'Films/film.mp4': 'film' });
  const storage = path.join(await tempDir(t), 'config');
  return { media, storage };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`nascast serve says where it listens when ready, serves, and stops cleanly on ${signal}`, async (t) => {
    const { media, storage } = await setup(t);
    const cli = runCli(t, ['serve', '--media', `Films=${media}/Films`, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery']);
    const { url, httpsUrl } = await servedAddresses(cli);
    const [, receiverUrl] = await cli.line(/Open this on any screen to cast to it: (\S+)\n/);
    t.regex(cli.stdout, /Control channel: wss:\/\/127\.0\.0\.1:\d+\/control\n/);
    t.is(cli.stdout.trim().split('\n').length, 4, 'ready: where it listens, the control channel, HTTPS and its fingerprint, the receiver link');
    // The receiver link opens the receiver page, with a register-only token (not the install's).
    const receiverPage = new URL(receiverUrl!);
    t.is(receiverPage.searchParams.get('name'), 'Browser');
    t.regex(receiverPage.searchParams.get('token') ?? '', /^r1\./);
    // Devices keep plain HTTP: the receiver page and /healthz are served there.
    t.is(receiverPage.origin, url);
    const page = await request(url, receiverPage.pathname + receiverPage.search);
    t.is(page.status, 200);
    t.regex(page.body.toString(), /<video class="castMediaElement"/);
    const health = await request(url, '/healthz');
    t.is(health.status, 200);
    t.is(JSON.parse(health.body.toString()).media, 1);

    // The token was made at first start, kept with mode 0600, and never printed.
    const secretsFile = path.join(storage, 'nascast-secrets.json');
    const { token } = JSON.parse(await fs.readFile(secretsFile, 'utf8')) as { token: string };
    t.is((await fs.stat(secretsFile)).mode & 0o777, 0o600);
    t.false(cli.stdout.includes(token) || cli.stderr.includes(token));
    const listing = await request(httpsUrl, '/api/library', { headers: { authorization: `Bearer ${token}` } });
    t.is(JSON.parse(listing.body.toString()).folders[0].name, 'Films');
    // The token over plain HTTP has crossed the network in clear: refused.
    t.is((await request(url, '/api/library', { headers: { authorization: `Bearer ${token}` } })).status, 403);

    cli.child.kill(signal);
    t.is(await cli.exited, 0);
  });
}

test('--token replaces the stored token', async (t) => {
  const { media, storage } = await setup(t);
  const cli = runCli(t, ['serve', '--media', media, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--token', 'my-own-token-123456']);
  const { httpsUrl } = await servedAddresses(cli);
  t.is((await request(httpsUrl, '/api/library', { headers: { authorization: 'Bearer my-own-token-123456' } })).status, 200);
  cli.child.kill('SIGTERM');
  t.is(await cli.exited, 0);
});

test('a port in use: one clear line and exit code 1', async (t) => {
  const { media, storage } = await setup(t);
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as net.AddressInfo).port;
  const cli = runCli(t, ['serve', '--media', media, '--port', String(port), '--host', '127.0.0.1', '--storage', storage]);
  t.is(await cli.exited, 1);
  t.is(cli.stderr.trim(), `nascast: cannot listen on 127.0.0.1:${port}: the port is already in use; pick another with --port`);
});

test('usage mistakes exit with code 2 and say what is wrong', async (t) => {
  const { media, storage } = await setup(t);
  const noMedia = runCli(t, ['serve', '--storage', storage]);
  t.is(await noMedia.exited, 2);
  t.regex(noMedia.stderr, /required option '-m, --media/);
  const badPort = runCli(t, ['serve', '--media', media, '--port', 'eighty', '--storage', storage]);
  t.is(await badPort.exited, 2);
  t.regex(badPort.stderr, /expected a port number/);
  const unknown = runCli(t, ['frobnicate']);
  t.is(await unknown.exited, 2);
  const help = runCli(t, ['serve', '--help']);
  t.is(await help.exited, 0);
  t.regex(help.stdout, /--no-discovery/);
});

test('a media folder that is not there: a warning, and the server still starts', async (t) => {
  const { media, storage } = await setup(t);
  const cli = runCli(t, ['serve', '--media', path.join(media, 'unmounted'), '--port', '0', '--host', '127.0.0.1', '--storage', storage]);
  await cli.line(/listening on/);
  t.regex(cli.stderr, /warning: media folder 'unmounted' .* is not available/);
  cli.child.kill('SIGTERM');
  t.is(await cli.exited, 0);
});
