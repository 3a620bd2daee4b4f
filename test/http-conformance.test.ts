import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { ControlHub } from '../src/control/hub.ts';
import { ReceiverTokens } from '../src/control/receiver-tokens.ts';
import { DEFAULT_RANGE_LIMITS, decideRange } from '../src/http/range.ts';
import { hello } from './helpers/control.ts';
import { patternBytes, startMediaServer, type TestServer } from './helpers/media-server.ts';
import { overlapsPast, rfc9110Ranges } from './helpers/range-reference.ts';

const SIZE = 1000;
const bytes = patternBytes(SIZE);
const files = { 'clip.mp4': bytes, 'empty.mp3': new Uint8Array() };

interface Exchange {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** The server closed the connection after its answer. */
  readonly closed: boolean;
}

/**
 * Writes `text` on a fresh socket and reads one answer: complete once its
 * Content-Length is in (its head, for a 101), or when the server closes.
 * Rejects after `ms`.
 */
function exchange(port: number, text: string, ms = 5000): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${ms} ms to ${JSON.stringify(text.slice(0, 60))}; got ${JSON.stringify(received.toString('latin1'))}`));
    }, ms);
    const parse = (closed: boolean): Exchange | undefined => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0);
      const body = received.subarray(end + 4);
      const length = headers['content-length'];
      if (!closed && status !== 101 && (length === undefined || body.length < Number(length))) return undefined;
      return { status, headers, body, closed };
    };
    const finish = (closed: boolean): void => {
      const answer = parse(closed);
      if (answer === undefined && !closed) return;
      clearTimeout(timer);
      socket.destroy();
      if (answer === undefined) reject(new Error(`the connection closed with no answer to ${JSON.stringify(text.slice(0, 60))}`));
      else resolve(answer);
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // Wait for the close when the server said it closes: the test checks that it does.
      if (!/\r\nconnection: close\r\n/i.test(received.toString('latin1'))) finish(false);
    });
    socket.on('error', () => {});
    socket.on('close', () => finish(true));
  });
}

function json(answer: Exchange): Record<string, unknown> {
  return JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
}

function jsonError(t: ExecutionContext, answer: Exchange, status: number, code: string, what: string): void {
  t.is(answer.status, status, what);
  t.is(answer.headers['content-type'], 'application/json; charset=utf-8', what);
  t.is(Number(answer.headers['content-length']), answer.body.length, what);
  t.is(json(answer).error, code, what);
}

const get = (target: string, headers: string, version = 'HTTP/1.1'): string => `GET ${target} ${version}\r\n${headers}\r\n`;

test('15: more than one Host header, or an invalid Host, gets 400 with the JSON body; valid hosts and HTTP/1.0 without Host are served', async (t) => {
  const { server } = await startMediaServer(t, files);
  for (const headers of ['Host: a\r\nHost: b\r\n', 'Host: 127.0.0.1\r\nhost: 127.0.0.1\r\n', 'Host: a b\r\n', 'Host: user@nas\r\n', 'Host: [::1\r\n', 'Host: [nope]:80\r\n', 'Host: nas:80:81\r\n', 'Host: nas:http\r\n']) {
    const answer = await exchange(server.port, get('/healthz', headers));
    jsonError(t, answer, 400, 'BAD_REQUEST', headers);
    t.true(answer.closed, headers);
  }
  for (const headers of ['Host: localhost\r\n', 'Host: 127.0.0.1:8585\r\n', 'Host: nas.lan\r\n', 'Host: [::1]\r\n', 'Host: [fe80::1]:8585\r\n', 'Host: \r\n']) {
    const answer = await exchange(server.port, get('/healthz', headers));
    t.is(answer.status, 200, headers);
    t.is(json(answer).status, 'ok');
  }
  t.is((await exchange(server.port, get('/healthz', '', 'HTTP/1.0'))).status, 200, 'HTTP/1.0 needs no Host');
});

test('16: an absolute-form request target is routed by its path, also for a WebSocket to /control', async (t) => {
  const media = await startMediaServer(t, files);
  const port = media.server.port;
  const health = await exchange(port, get(`http://127.0.0.1:${port}/healthz`, 'Host: 127.0.0.1\r\n'));
  t.is(health.status, 200);
  t.is(json(health).status, 'ok');
  // The target's host wins over the Host header (RFC 9112 §3.2.2), and the scheme is case-insensitive.
  const clip = await exchange(port, get(`HTTP://nas.lan:${port}${media.mediaPath('clip.mp4')}`, 'Host: elsewhere\r\nRange: bytes=10-19\r\n'));
  t.is(clip.status, 206);
  t.is(clip.headers['content-range'], `bytes 10-19/${SIZE}`);
  t.is((await exchange(port, get(`http://127.0.0.1:${port}/nothing`, 'Host: 127.0.0.1\r\n'))).status, 404);
  for (const target of ['http:///healthz', 'http://user@127.0.0.1/healthz']) {
    jsonError(t, await exchange(port, get(target, 'Host: 127.0.0.1\r\n')), 400, 'BAD_REQUEST', target);
  }

  attachHub(t, media);
  const key = randomBytes(16).toString('base64');
  const upgrade = await exchange(
    port,
    get(`http://127.0.0.1:${port}/control`, `Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n`),
  );
  t.is(upgrade.status, 101);
  t.is(upgrade.headers.upgrade, 'websocket');
});

test('17a: an HTTP/2.0 request line or preface gets 505, an HTTP/0.9 one 400, each with the JSON body', async (t) => {
  const { server } = await startMediaServer(t, files);
  const cases: Array<[string, number, string]> = [
    ['GET /healthz HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n', 505, 'HTTP_VERSION_NOT_SUPPORTED'],
    ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 505, 'HTTP_VERSION_NOT_SUPPORTED'],
    ['GET /healthz HTTP/3.0\r\nHost: 127.0.0.1\r\n\r\n', 505, 'HTTP_VERSION_NOT_SUPPORTED'],
    ['GET /healthz\r\n\r\n', 400, 'BAD_REQUEST'],
  ];
  for (const [text, status, code] of cases) {
    const answer = await exchange(server.port, text);
    jsonError(t, answer, status, code, JSON.stringify(text));
    t.is(answer.headers.connection, 'close');
    t.true(answer.closed);
  }
});

test('17b: CONNECT gets 405 with Allow and the JSON body, then the connection closes', async (t) => {
  const { server } = await startMediaServer(t, files);
  const answer = await exchange(server.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  jsonError(t, answer, 405, 'METHOD_NOT_ALLOWED', 'CONNECT');
  t.is(answer.headers.allow, 'GET, HEAD, OPTIONS');
  t.true(answer.closed);
  // The server is still there for the next client.
  t.is((await exchange(server.port, get('/healthz', 'Host: 127.0.0.1\r\n'))).status, 200);
});

test('17c: an Upgrade that is not a WebSocket to /control is ignored and the request served; /control still upgrades', async (t) => {
  const media = await startMediaServer(t, files);
  const { token } = attachHub(t, media);
  const port = media.server.port;
  const h2c = await exchange(port, get('/healthz', 'Host: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n'));
  t.is(h2c.status, 200);
  t.is(json(h2c).status, 'ok');
  const ranged = await exchange(port, get(media.mediaPath('clip.mp4'), 'Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nRange: bytes=0-9\r\n'));
  t.is(ranged.status, 206);
  t.deepEqual(ranged.body, bytes.subarray(0, 10));
  jsonError(t, await exchange(port, get('/control', 'Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n')), 404, 'NOT_FOUND', 'h2c on /control');
  const controller = await hello(t, `ws://127.0.0.1:${port}/control`, { token, role: 'controller' });
  t.is(controller.received[0]!.type, 'welcome');
});

test('18a: bytes=-1 on an empty file is satisfiable: the whole (empty) file with 200', async (t) => {
  const { mediaPath, server } = await startMediaServer(t, files);
  for (const range of ['bytes=-1', 'bytes=-99999999999999999999', 'bytes=0-, -1']) {
    const answer = await exchange(server.port, get(mediaPath('empty.mp3'), `Host: 127.0.0.1\r\nRange: ${range}\r\n`));
    t.is(answer.status, 200, range);
    t.is(answer.headers['content-length'], '0', range);
    t.is(answer.headers['content-range'], undefined, range);
  }
  for (const range of ['bytes=0-', 'bytes=-0']) {
    const answer = await exchange(server.port, get(mediaPath('empty.mp3'), `Host: 127.0.0.1\r\nRange: ${range}\r\n`));
    t.is(answer.status, 416, range);
    t.is(answer.headers['content-range'], 'bytes */0', range);
  }
});

test('18b: positions past 2^53 are compared exactly, not rounded', async (t) => {
  const { server, mediaPath } = await startMediaServer(t, files);
  const cases: Array<[string, number, string | undefined]> = [
    ['bytes=9007199254740993-9007199254740992', 200, undefined], // last < first: invalid, ignored
    ['bytes=9007199254740992-9007199254740993', 416, `bytes */${SIZE}`], // first past the file
    ['bytes=100-9007199254740993', 206, `bytes 100-${SIZE - 1}/${SIZE}`], // end clamped
    ['bytes=0-99999999999999999999999999999999', 206, `bytes 0-${SIZE - 1}/${SIZE}`],
    ['bytes=-99999999999999999999', 206, `bytes 0-${SIZE - 1}/${SIZE}`],
    ['bytes=00000000000000000005-0000000000000000009', 206, `bytes 5-9/${SIZE}`],
  ];
  for (const [range, status, contentRange] of cases) {
    const answer = await exchange(server.port, get(mediaPath('clip.mp4'), `Host: 127.0.0.1\r\nRange: ${range}\r\n`));
    t.is(answer.status, status, range);
    t.is(answer.headers['content-range'], contentRange, range);
    if (status === 200) t.is(Number(answer.headers['content-length']), SIZE, range);
  }
});


const LARGE = Number.MAX_SAFE_INTEGER;
const fileSize = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: LARGE - 10, max: LARGE }));

function positions(size: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.integer({ min: 0, max: Math.min(size * 2 + 2, LARGE) }).map(String),
    fc.constantFrom(String(Math.max(size - 1, 0)), String(size), String(size + 1)),
    fc.bigInt({ min: 2n ** 53n - 4n, max: 2n ** 53n + 4n }).map(String),
    fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String),
    fc.tuple(fc.integer({ min: 14, max: 20 }), fc.integer({ min: 0, max: Math.min(size + 2, LARGE) })).map(([zeros, n]) => '0'.repeat(zeros) + String(n)),
  );
}

function rangeHeader(size: number): fc.Arbitrary<string> {
  const at = positions(size);
  const spec = fc.oneof(
    fc.tuple(at, at).map(([a, b]) => `${a}-${b}`),
    at.map((a) => `${a}-`),
    at.map((n) => `-${n}`),
    fc.constantFrom('-', 'x-1', '', '0x1-2'),
  );
  return fc.array(spec, { minLength: 1, maxLength: 6 }).map((specs) => `bytes=${specs.join(',')}`);
}

/** Whether `decideRange` answers `header` on `size` bytes as the exact reference does; only the amplification caps may differ. */
function agrees(size: number, header: string): boolean {
  const decision = decideRange(header, size);
  const expected = rfc9110Ranges(header, size);
  if (expected === null || expected === 'empty') return decision.kind === 'whole';
  if (expected.length === 0) return decision.kind === 'unsatisfiable';
  if (decision.kind === 'partial') return isDeepStrictEqual(decision.ranges, expected);
  const total = expected.reduce((sum, range) => sum + (range.end - range.start + 1), 0);
  return decision.kind === 'whole' && expected.length > 1 && (total > size || overlapsPast(expected, DEFAULT_RANGE_LIMITS.maxOverlaps));
}

test('18: decideRange agrees with an exact (BigInt) reading of RFC 9110 for any size, empty files and positions past 2^53 included', (t) => {
  const sizedHeader = fileSize.chain((size) => fc.tuple(fc.constant(size), rangeHeader(size)));
  fc.assert(
    fc.property(sizedHeader, ([size, header]) => agrees(size, header)),
    { numRuns: 3000 },
  );
  t.pass();
});

/** A control hub on the media server's port, as NasCast mounts it; closed when the test ends. */
function attachHub(t: ExecutionContext, media: TestServer): { hub: ControlHub; token: string } {
  const token = randomBytes(24).toString('base64url');
  const hub = new ControlHub({ token, receiverTokens: new ReceiverTokens(randomBytes(32)), handler: { handle: () => Promise.resolve(undefined) } });
  hub.attach(media.server.httpServer);
  t.teardown(() => hub.close());
  return { hub, token };
}
