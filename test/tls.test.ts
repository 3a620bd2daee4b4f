import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { ControlClient } from '../src/control/client.ts';
import { ControlError } from '../src/errors.ts';
import { TLS_CERT_FILE, TLS_KEY_FILE } from '../src/http/tls.ts';
import { NasCast } from '../src/nascast.ts';
import { CLOSE_CODES } from '../src/protocol/index.ts';
import { connect, hello } from './helpers/control.ts';
import { tempDir, writeTree } from './helpers/media-server.ts';

async function secureNasCast(t: ExecutionContext, storage?: string): Promise<{ nascast: NasCast; storage: string; token: string }> {
  const media = await tempDir(t);
  await writeTree(media, { 'Films/film.mp4': 'film' });
  const where = storage ?? (await tempDir(t));
  const secrets = { token: randomBytes(24).toString('base64url'), signingKey: randomBytes(32) };
  const nascast = new NasCast({ media: [{ name: 'Films', path: path.join(media, 'Films') }], port: 0, host: '127.0.0.1', storage: where, secrets, discovery: false, rescanInterval: 0, tls: true });
  t.teardown(() => nascast.stop());
  await nascast.start();
  return { nascast, storage: where, token: secrets.token };
}

test('tls: a self-signed certificate is made at first start, kept in the storage folder (key 0600), and the same next time', async (t) => {
  const first = await secureNasCast(t);
  t.regex(first.nascast.fingerprint ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  t.is((await fs.stat(path.join(first.storage, TLS_KEY_FILE))).mode & 0o777, 0o600);
  await fs.access(path.join(first.storage, TLS_CERT_FILE));
  const fingerprint = first.nascast.fingerprint;
  await first.nascast.stop();
  const again = await secureNasCast(t, first.storage);
  t.is(again.nascast.fingerprint, fingerprint);
  t.regex(again.nascast.peopleUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
});

test('tls: a controller pins the fingerprint over wss://; another fingerprint is refused before the token is sent', async (t) => {
  const { nascast, token } = await secureNasCast(t);
  const url = `wss://127.0.0.1:${nascast.server.port}/control`;
  const pinned = new ControlClient({ url, token, fingerprint: nascast.fingerprint!.toLowerCase() });
  t.teardown(() => pinned.close());
  await pinned.connect();
  t.deepEqual(await pinned.devices(), []);

  const hellos: string[] = [];
  nascast.control.hub.on('receiver-up', (device) => hellos.push(device));
  const wrong = new ControlClient({ url, token, fingerprint: '00'.repeat(32) });
  t.teardown(() => wrong.close());
  const refused = await t.throwsAsync(wrong.connect(), { instanceOf: ControlError });
  t.is(refused.code, 'UNAUTHORIZED');
  t.regex(refused.message, /is not the one pinned: its certificate's fingerprint is [0-9A-F:]+, not 0000/);
  // Without a pin, a self-signed certificate is not trusted at all.
  const unpinned = new ControlClient({ url, token, maxDelayMs: 50, initialDelayMs: 20 });
  t.teardown(() => unpinned.close());
  const reconnecting = new Promise((resolve) => unpinned.once('reconnecting', resolve));
  void unpinned.connect().catch(() => {});
  await reconnecting;
  t.false(unpinned.connected);
});

test('tls: over plain HTTP, the web page and the API redirect to HTTPS, a token is refused, and media, subtitles and /healthz stay for devices', async (t) => {
  const { nascast, token } = await secureNasCast(t);
  const origin = `http://127.0.0.1:${nascast.server.port}`;
  const page = await fetch(`${origin}/`, { redirect: 'manual' });
  t.is(page.status, 308);
  t.is(page.headers.get('location'), `https://127.0.0.1:${nascast.server.port}/`);
  t.is((await fetch(`${origin}/api/library`, { redirect: 'manual' })).status, 308);
  const clear = await fetch(`${origin}/api/library`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  t.is(clear.status, 403);
  t.regex(((await clear.json()) as { message: string }).message, /must not cross the network in clear: use https:\/\//);
  t.is((await fetch(`${origin}/healthz`)).status, 200);
  // The receiver page's link (the one `serve` prints) is a device's, with a register-only token.
  const receiverPage = await fetch(nascast.control.receiverPageUrl('Tablet'), { redirect: 'manual' });
  t.is(receiverPage.status, 200);
  t.true(nascast.control.receiverPageUrl('Tablet').startsWith(`${origin}/receiver/?`));
  const media = nascast.media(nascast.library.find('film')!);
  t.true(media.url.startsWith('http://'), 'devices get plain HTTP URLs');
  const film = await fetch(media.url.replace(/^http:\/\/[^/]+/, origin));
  t.is(film.status, 200);
  t.is(await film.text(), 'film');

  // The control channel over ws://: the install's token is refused, a receiver token is not.
  const ws = `ws://127.0.0.1:${nascast.server.port}/control`;
  const controller = await connect(t, ws);
  controller.send({ type: 'hello', token, role: 'controller' });
  t.like(await controller.closed, { code: CLOSE_CODES.unauthorized, reason: 'the token must not cross the network in clear: connect with wss://' });
  const receiver = await hello(t, ws, { token: nascast.control.receiverTokens.issue('*'), role: 'receiver', name: 'Tablet' });
  t.like(receiver.received[0], { type: 'welcome', device: 'browser:tablet' });
});
