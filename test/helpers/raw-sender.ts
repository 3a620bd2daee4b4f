import type { EventEmitter } from 'node:events';
import type { ExecutionContext } from 'ava';
import castv2 from 'castv2';
import { NS, PLATFORM_RECEIVER } from '../../src/cast/namespaces.ts';
import { protocolReady } from '../../src/cast/protocol-ready.ts';

type Json = Record<string, unknown>;

/** castv2's own client: frames only, no CONNECT or heartbeat of its own (castv2 publishes no types). */
interface CastClient extends EventEmitter {
  connect(options: { host: string; port: number }, callback: () => void): void;
  send(sourceId: string, destinationId: string, namespace: string, data: string): void;
  close(): void;
}

/** One message a {@link RawSender} received. */
export interface Received {
  readonly source: string;
  readonly destination: string;
  readonly namespace: string;
  readonly data: Json;
}

/**
 * A sender written by hand on castv2 frames, for holding the simulator to what a device
 * does with a sender that is not castv2-client: nothing is sent unless the test sends it.
 */
export interface RawSender {
  send(namespace: string, data: Json, route?: { source?: string; destination?: string }): void;
  /** CONNECT from `source` (default: the sender's own) to `destination` (default `receiver-0`). */
  connect(destination?: string, source?: string): void;
  /** The first message (already received or still to come) matching `match`, or a rejection after `ms`. */
  next(match: (message: Received) => boolean, ms?: number): Promise<Received>;
  /** Every message received so far. */
  readonly inbox: readonly Received[];
  /** Resolves when the device closes the socket. */
  readonly closed: Promise<void>;
}

export interface RawSenderOptions {
  /** The source id messages go from unless a route names one; `sender-0` by default. */
  source?: string;
  /** Answer the device's PINGs (and keep them out of the inbox), as a real sender app does. */
  answerPings?: boolean;
}

const { Client } = castv2 as unknown as { Client: new () => CastClient };

/** Opens a TLS connection to `port` on `host`, closed when the test ends. */
export async function rawSender(t: ExecutionContext, host: string, port: number, options: RawSenderOptions = {}): Promise<RawSender> {
  const { source: self = 'sender-0', answerPings = false } = options;
  await protocolReady();
  const client = new Client();
  client.on('error', () => {}); // a socket the device drops may reset
  await new Promise<void>((resolve) => client.connect({ host, port }, resolve));
  t.teardown(() => {
    try {
      client.close();
    } catch {
      // castv2 throws when the device has already closed the socket
    }
  });
  const inbox: Received[] = [];
  const waiters = new Set<{ match: (message: Received) => boolean; resolve: (message: Received) => void }>();
  const send: RawSender['send'] = (namespace, data, route = {}) => client.send(route.source ?? self, route.destination ?? PLATFORM_RECEIVER, namespace, JSON.stringify(data));
  client.on('message', (source: string, destination: string, namespace: string, data: string | Buffer) => {
    if (typeof data !== 'string') return;
    const message = { source, destination, namespace, data: JSON.parse(data) as Json };
    if (answerPings && namespace === NS.heartbeat && message.data.type === 'PING') return send(NS.heartbeat, { type: 'PONG' }, { destination: source });
    inbox.push(message);
    for (const waiter of waiters) {
      if (!waiter.match(message)) continue;
      waiters.delete(waiter);
      waiter.resolve(message);
    }
  });
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  return {
    send,
    connect: (destination = PLATFORM_RECEIVER, source = self) => send(NS.connection, { type: 'CONNECT' }, { source, destination }),
    next: (match, ms = 3000) => {
      const found = inbox.find(match);
      if (found) return Promise.resolve(found);
      return new Promise<Received>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (message: Received) => {
            clearTimeout(timer);
            resolve(message);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no such message within ${ms} ms; the last received: ${JSON.stringify(inbox.slice(-5).map((message) => message.data))}`));
        }, ms);
        waiters.add(waiter);
      });
    },
    inbox,
    closed,
  };
}
