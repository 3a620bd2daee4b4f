import test from 'ava';
import { mountControl } from '../src/players/mount.ts';
import { CLOSE_CODES } from '../src/protocol/index.ts';
import { connect, hello, startHub, statusAt } from './helpers/control.ts';
import { eventually, startMediaServer } from './helpers/media-server.ts';

const TWELVE_HOURS_MS = 12 * 3600 * 1000;

test('a live browser target is never displaced: the same name, or another id with the same name, is refused and the real screen keeps getting commands', async (t) => {
  const { url, tokens, hub } = await startHub(t);
  const screen = await hello(t, url, { token: tokens.issue('*'), role: 'receiver', name: 'Kitchen Tablet' });
  t.like(screen.received[0], { type: 'welcome', device: 'browser:kitchen-tablet' });
  t.regex(String(screen.received[0]!.secret), /^[\w-]{20,}$/);

  const hijack = await connect(t, url);
  hijack.send({ type: 'hello', token: tokens.issue('*'), role: 'receiver', name: 'Kitchen Tablet' });
  t.like(await hijack.closed, { code: CLOSE_CODES.receiverTaken, reason: 'a receiver is already connected for browser:kitchen-tablet' });
  const lookalike = await connect(t, url);
  lookalike.send({ type: 'hello', token: tokens.issue('*'), role: 'receiver', device: 'browser:kitchen-2', name: 'kitchen tablet' });
  t.like(await lookalike.closed, { code: CLOSE_CODES.receiverTaken, reason: 'another receiver is called kitchen tablet' });
  const guesser = await connect(t, url);
  guesser.send({ type: 'hello', token: tokens.issue('*'), role: 'receiver', name: 'Kitchen Tablet', secret: 'a-guessed-secret-of-the-right-size' });
  t.is((await guesser.closed).code, CLOSE_CODES.receiverTaken);

  t.deepEqual(hub.receivers, [{ device: 'browser:kitchen-tablet', name: 'Kitchen Tablet' }]);
  const paused = hub.command('browser:kitchen-tablet', { type: 'pause' });
  const command = await screen.next((message) => message.type === 'pause');
  screen.send({ type: 'ok', id: command.id });
  await t.notThrowsAsync(paused);
});

test('the same screen reconnecting proves itself with the secret of its first welcome, and replaces its old socket', async (t) => {
  const { url, tokens, hub } = await startHub(t);
  const first = await hello(t, url, { token: tokens.issue('*'), role: 'receiver', name: 'Den' });
  const secret = first.received[0]!.secret;
  const again = await hello(t, url, { token: tokens.issue('*'), role: 'receiver', name: 'Den', secret });
  t.like(again.received[0], { type: 'welcome', device: 'browser:den', secret });
  t.like(await first.closed, { code: CLOSE_CODES.goingAway, reason: 'replaced by the same screen reconnecting' });
  t.deepEqual(hub.receivers, [{ device: 'browser:den', name: 'Den' }]);
});

test('receivers are capped per receiver token and in all', async (t) => {
  const { url, token, tokens } = await startHub(t, { maxReceiversPerToken: 2, maxReceivers: 3 });
  const shared = tokens.issue('*');
  await hello(t, url, { token: shared, role: 'receiver', name: 'One' });
  await hello(t, url, { token: shared, role: 'receiver', name: 'Two' });
  const third = await connect(t, url);
  third.send({ type: 'hello', token: shared, role: 'receiver', name: 'Three' });
  t.like(await third.closed, { code: CLOSE_CODES.tooManyReceivers, reason: 'too many receivers use this token' });
  // Another token (tokens issued within the same second are the same string).
  await hello(t, url, { token: tokens.issue('*', Date.now() - 5000), role: 'receiver', name: 'Three' });
  const fourth = await connect(t, url);
  fourth.send({ type: 'hello', token, role: 'receiver', device: 'tv-4' });
  t.like(await fourth.closed, { code: CLOSE_CODES.tooManyReceivers, reason: 'too many receivers are connected' });
});

test("a departed browser target's room and history are dropped: a later subscriber gets nothing of it", async (t) => {
  const { url, token, tokens, hub } = await startHub(t);
  const down = new Promise<string>((resolve) => hub.once('receiver-down', resolve));
  const screen = await hello(t, url, { token: tokens.issue('*'), role: 'receiver', name: 'Guest Room' });
  const controller = await hello(t, url, { token, role: 'controller' });
  for (let second = 1; second <= 3; second++) screen.send({ type: 'status', ...statusAt(second) });
  await eventually(async () => {
    controller.send({ type: 'status', id: 'before', device: 'browser:guest-room' });
    return (await controller.next((message) => message.id === 'before')).type === 'ok';
  });
  screen.ws.close();
  t.is(await down, 'browser:guest-room');

  const late = await hello(t, url, { token, role: 'controller' });
  late.send({ type: 'subscribe', id: 's', device: 'browser:guest-room' });
  t.like(await late.next(), { type: 'ok', id: 's' });
  late.send({ type: 'status', id: 'after', device: 'browser:guest-room' });
  t.like(await late.next(), { type: 'error', id: 'after', code: 'UNKNOWN_DEVICE' });
  t.false(late.received.some((message) => message.replay === true), 'no history replayed');
});

test("a receiver's session ends when its token expires: the hub closes it with 4401", async (t) => {
  const { url, tokens, hub } = await startHub(t);
  // Issued 12 h minus 1.5 s ago: it expires within the next second or two (expiry is kept in whole seconds).
  const token = tokens.issue('tv-1', Date.now() - TWELVE_HOURS_MS + 1500);
  const receiver = await hello(t, url, { token, role: 'receiver', device: 'tv-1' });
  const closed = await receiver.closed;
  t.like(closed, { code: CLOSE_CODES.unauthorized, reason: 'the receiver token expired' });
  await eventually(() => hub.receivers.length === 0, 3000, 'the receiver is gone from the hub');
});

test('a controller may follow a bounded number of devices', async (t) => {
  const { url, token } = await startHub(t, { maxSubscriptions: 2 });
  const controller = await hello(t, url, { token, role: 'controller' });
  for (const device of ['a', 'b', 'a']) {
    controller.send({ type: 'subscribe', id: `s-${device}`, device });
    t.like(await controller.next((message) => message.id === `s-${device}`), { type: 'ok' });
  }
  controller.send({ type: 'subscribe', id: 's-c', device: 'c' });
  t.like(await controller.next((message) => message.id === 's-c'), { type: 'error', code: 'BAD_REQUEST', message: 'subscribe: at most 2 devices per connection' });
});

test('subscribe and status take a device by name as well as by id', async (t) => {
  const media = await startMediaServer(t, { 'a.mp4': 'x' });
  const control = mountControl(media.server, { secrets: media.secrets });
  t.teardown(() => control.close());
  const url = `ws://127.0.0.1:${media.server.port}/control`;
  const screen = await hello(t, url, { token: control.receiverTokens.issue('*'), role: 'receiver', name: 'Kitchen Tablet' });
  screen.send({ type: 'status', ...statusAt(1) });
  const controller = await hello(t, url, { token: media.secrets.token, role: 'controller' });
  await eventually(async () => {
    controller.send({ type: 'status', id: 'by-name', device: 'kitchen tablet' });
    const reply = await controller.next((message) => message.id === 'by-name');
    return reply.type === 'ok' && Math.floor(Number((reply.result as { position?: number }).position)) === 1;
  }, 5000, 'status by name answers');
  controller.send({ type: 'subscribe', id: 'sub', device: 'Kitchen Tablet' });
  t.like(await controller.next((message) => message.id === 'sub'), { type: 'ok' });
  t.like(await controller.next((message) => message.type === 'status'), { device: 'browser:kitchen-tablet', position: 1, replay: true });
  screen.send({ type: 'status', ...statusAt(2) });
  t.like(await controller.next((message) => message.type === 'status' && message.position === 2), { device: 'browser:kitchen-tablet' });
});
