import net from 'node:net';
import test from 'ava';
import { eventually, patternBytes, startMediaServer } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

const CLIENTS = 120;
const MiB = 1024 * 1024;

test('clients that stop reading hold bounded memory, other requests stay prompt, and the server closes them after the send timeout', async (t) => {
  const media = await startMediaServer(t, { 'Films/big.mp4': patternBytes(24 * MiB) }, { server: { sendTimeoutMs: 3000 } });
  const path = media.mediaPath('Films/big.mp4');
  let requests = 0;
  media.server.httpServer.on('request', () => requests++);
  // Seen from the server: a paused client would not even notice the close behind its unread data.
  let serverClosed = 0;
  media.server.httpServer.on('connection', (socket) => socket.once('close', () => serverClosed++));
  const before = process.memoryUsage().rss;

  const sockets: net.Socket[] = [];
  for (let index = 0; index < CLIENTS; index++) {
    const socket = net.connect(media.server.port, '127.0.0.1');
    socket.on('error', () => {});
    sockets.push(socket);
    socket.pause(); // reads nothing: the kernel's buffers fill, then the server's writes stall
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-\r\n\r\n`);
  }
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
  });
  await eventually(() => requests >= CLIENTS, 10_000, 'every request reached the server');

  // Each stalled response holds at most one read buffer; the big ones share one budget.
  await eventually(async () => {
    const started = performance.now();
    const health = await request(media.origin, '/healthz');
    return health.status === 200 && performance.now() - started < 1000;
  }, 5000, '/healthz answers promptly while the readers stall');
  const grown = (process.memoryUsage().rss - before) / MiB;
  t.log(`RSS growth with ${CLIENTS} stalled readers: ${grown.toFixed(1)} MiB`);
  t.true(grown < 40, `RSS grew ${grown.toFixed(1)} MiB (each reader once held up to 1 MiB: ${CLIENTS} MiB)`);

  // Nothing moves on them: the server closes every one after the send timeout.
  const healthChecks = 1; // the /healthz connection closes too, once idle
  await eventually(() => serverClosed >= CLIENTS + healthChecks, 15_000, 'the server closed every stalled connection');
  t.pass();
});
