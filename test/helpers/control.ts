import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ExecutionContext } from 'ava';
import { WebSocket, type ClientOptions } from 'ws';
import { ControlHub, type ControlHandler, type ControlHubOptions, type HandledRequest } from '../../src/control/hub.ts';
import { ReceiverTokens } from '../../src/control/receiver-tokens.ts';
import { BROWSER_TARGET_KEYS } from '../../src/players/browser-targets.ts';

export type Json = Record<string, unknown>;

export interface TestHub {
  readonly hub: ControlHub;
  readonly url: string;
  readonly token: string;
  readonly tokens: ReceiverTokens;
  /** The requests the handler was given. */
  readonly handled: HandledRequest[];
}

/** A hub on a real HTTP server on a free loopback port, closed when the test ends. */
export async function startHub(t: ExecutionContext, options: Partial<ControlHubOptions> = {}, handle?: ControlHandler['handle']): Promise<TestHub> {
  const token = randomBytes(24).toString('base64url');
  const tokens = new ReceiverTokens(randomBytes(32));
  const handled: HandledRequest[] = [];
  const hub = new ControlHub({
    token,
    receiverTokens: tokens,
    // Browser targets (receivers that name themselves) are keyed as NasCast keys them.
    selfNamed: BROWSER_TARGET_KEYS,
    handler: {
      handle: (request) => {
        handled.push(request);
        return handle ? handle(request) : Promise.resolve(undefined);
      },
    },
    ...options,
  });
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  hub.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    await hub.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { hub, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/control`, token, tokens, handled };
}

export interface TestSocket {
  readonly ws: WebSocket;
  /** Every message received, in order. */
  readonly received: Json[];
  send(message: Json): void;
  /** The next received message (from `received`, oldest unread first) that matches, within `ms`. */
  next(match?: (message: Json) => boolean, ms?: number): Promise<Json>;
  /** The close code and reason, once closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** A WebSocket client to the hub that records what it receives; closed when the test ends. */
export async function connect(t: ExecutionContext, url: string, options: ClientOptions = {}): Promise<TestSocket> {
  const ws = new WebSocket(url, options);
  ws.on('error', () => {});
  const received: Json[] = [];
  let read = 0;
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    received.push(JSON.parse((data as Buffer).toString('utf8')) as Json);
    for (const waiter of waiters) waiter();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  t.teardown(() => ws.terminate());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    received,
    closed,
    send: (message) => ws.send(JSON.stringify({ v: 1, ...message })),
    next(match = () => true, ms = 3000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          while (read < received.length) {
            const message = received[read++]!;
            if (match(message)) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(message);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message within ${ms} ms; received ${JSON.stringify(received.slice(-5))}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Connects and completes the handshake; resolves once `welcome` arrived. */
export async function hello(t: ExecutionContext, url: string, fields: Json, options: ClientOptions = {}): Promise<TestSocket> {
  const socket = await connect(t, url, options);
  socket.send({ type: 'hello', ...fields });
  await socket.next((message) => message.type === 'welcome');
  return socket;
}

/** A playing status, as a receiver reports it. */
export function statusAt(position: number, state = 'PLAYING'): Json {
  return { state, position, volume: 0.5, muted: false, media: { url: 'http://nas/media/x', title: 'Film' } };
}

export interface CuttableProxy {
  /** The proxy's loopback port. */
  readonly port: number;
  /** Drops every connection and refuses new ones until {@link CuttableProxy.restore}. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
}

/** A TCP proxy to a loopback port that a test can cut, as a network outage between a receiver and the hub. */
export async function cuttableProxy(t: ExecutionContext, targetPort: number): Promise<CuttableProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const cut = async (): Promise<void> => {
    const closed = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  t.teardown(cut);
  return {
    port,
    cut,
    restore: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
  };
}
