import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import { ControlClient } from '../src/control/client.ts';
import { ControlError } from '../src/errors.ts';
import { ControlHub, type HandledRequest } from '../src/control/hub.ts';
import { ReceiverTokens } from '../src/control/receiver-tokens.ts';
import { hello, startHub, statusAt } from './helpers/control.ts';
import { eventually } from './helpers/media-server.ts';

const token = randomBytes(24).toString('base64url');
const receiverTokens = new ReceiverTokens(randomBytes(32));

/** A hub on a given port (0: a free one), so that a test can stop it and start another on the same port. */
async function hubOn(port: number, handled: HandledRequest[]): Promise<{ hub: ControlHub; port: number; stop(): Promise<void> }> {
  const hub = new ControlHub({
    token,
    receiverTokens,
    handler: {
      handle: (request) => {
        handled.push(request);
        return Promise.resolve({ did: request.type });
      },
    },
  });
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  hub.attach(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  let stopped = false;
  return {
    hub,
    port: (server.address() as AddressInfo).port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function client(t: ExecutionContext, url: string, options: Partial<ConstructorParameters<typeof ControlClient>[0]> = {}): ControlClient {
  const made = new ControlClient({ url, token, initialDelayMs: 20, maxDelayMs: 200, ...options });
  t.teardown(() => made.close());
  return made;
}

test('requests resolve with results, and refusals reject with their code', async (t) => {
  const { url, hub, token: hubToken } = await startHub(t, {}, (request) => {
    if (request.type === 'play') return Promise.reject(new ControlError('UNKNOWN_MEDIA', 'no media with id nope'));
    return Promise.resolve({ devices: [{ id: 'tv-1', name: 'Kitchen' }] });
  });
  const control = client(t, url, { token: hubToken });
  await control.connect();
  t.true(control.connected);
  t.deepEqual(await control.devices(), [{ id: 'tv-1', name: 'Kitchen' }]);
  const refused = await t.throwsAsync(control.play('tv-1', { media: 'nope' }), { instanceOf: ControlError });
  t.is(refused.code, 'UNKNOWN_MEDIA');
  t.is(refused.message, 'no media with id nope');
  t.is((await t.throwsAsync(control.status('tv-9'), { instanceOf: ControlError })).code, 'UNKNOWN_DEVICE');
  // Paused: a playing status is answered moved on to now (issue 19), a paused one as it is.
  hub.publishStatus('tv-1', statusAt(3, 'PAUSED') as never);
  t.is((await control.status('tv-1')).position, 3);
});

test('a wrong token rejects connect with UNAUTHORIZED and stops retrying', async (t) => {
  const { url } = await startHub(t);
  const control = client(t, url, { token: 'wrong' });
  const errors: ControlError[] = [];
  control.on('error', (error) => errors.push(error));
  const refused = await t.throwsAsync(control.connect(), { instanceOf: ControlError });
  t.is(refused.code, 'UNAUTHORIZED');
  t.is(errors.length, 1);
  t.is((await t.throwsAsync(control.pause('tv-1'), { instanceOf: ControlError })).code, 'CLOSED');
});

test('a request the hub cannot answer in time rejects with TIMEOUT', async (t) => {
  const { url, token: hubToken } = await startHub(t, {}, () => new Promise(() => {}));
  const control = client(t, url, { token: hubToken, requestTimeoutMs: 150 });
  await control.connect();
  const late = await t.throwsAsync(control.pause('tv-1'), { instanceOf: ControlError });
  t.is(late.code, 'TIMEOUT');
  // Made while the hub cannot be reached, it says so.
  const nowhere = client(t, 'ws://127.0.0.1:9/control', { requestTimeoutMs: 150 });
  void nowhere.connect().catch(() => {});
  t.regex((await t.throwsAsync(nowhere.pause('tv-1'), { instanceOf: ControlError })).message, /cannot be reached/);
});

test('the hub restarts mid-session: commands made while it is down arrive once each, and the subscription comes back', async (t) => {
  const handled: HandledRequest[] = [];
  let server = await hubOn(0, handled);
  t.teardown(() => server.stop());
  const url = `ws://127.0.0.1:${server.port}/control`;
  const control = client(t, url);
  const statuses: Array<{ device: string; position: number; replay: boolean }> = [];
  control.on('status', (device, status, replay) => statuses.push({ device, position: status.position, replay }));
  const reconnects: number[] = [];
  control.on('reconnecting', ({ delayMs }) => reconnects.push(delayMs));
  await control.connect();
  await control.subscribe('tv-1');
  server.hub.publishStatus('tv-1', statusAt(1) as never);
  await eventually(() => statuses.length === 1);

  await server.stop();
  await eventually(() => !control.connected && reconnects.length > 0);
  // Made while the hub is down: they wait in the outbox.
  const pending = [control.pause('tv-1'), control.seek('tv-1', 42), control.volume('tv-1', 0.3)];
  // Let a few reconnects fail against the closed port before the hub returns.
  await eventually(() => reconnects.length >= 3);
  server = await hubOn(server.port, handled);
  await Promise.all(pending);
  t.deepEqual(
    handled.map((request) => request.type),
    ['pause', 'seek', 'volume'],
    'each command carried out once, in order',
  );
  t.is(new Set(handled.map((request) => request.id)).size, 3);
  // The subscription came back by itself: a status on the new hub reaches the client.
  server.hub.publishStatus('tv-1', statusAt(2) as never);
  await eventually(() => statuses.some((status) => status.position === 2));
  t.deepEqual(statuses.at(-1), { device: 'tv-1', position: 2, replay: false });
  t.true(reconnects.every((delay) => delay <= 200), 'backoff stays under its ceiling');
});

test('a request resent after a dropped socket is carried out once, and both sockets get the reply', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const { url, token: hubToken, handled } = await startHub(t, {}, async () => {
    await gate;
    return { done: true };
  });
  // The same controller on both sockets: it names itself with `client` in its hello.
  const first = await hello(t, url, { token: hubToken, role: 'controller', client: 'laptop-1' });
  first.send({ type: 'pause', id: 'req-1', device: 'tv-1' });
  await eventually(() => handled.length === 1);
  first.ws.terminate();
  const second = await hello(t, url, { token: hubToken, role: 'controller', client: 'laptop-1' });
  second.send({ type: 'pause', id: 'req-1', device: 'tv-1' });
  release();
  const reply = await second.next((message) => message.id === 'req-1');
  t.deepEqual(reply, { v: 1, type: 'ok', id: 'req-1', result: { done: true } });
  // Asked again later, the kept reply comes back without running it again.
  second.send({ type: 'pause', id: 'req-1', device: 'tv-1' });
  t.is((await second.next((message) => message.id === 'req-1')).type, 'ok');
  t.is(handled.length, 1);
});
