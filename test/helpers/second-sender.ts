import type { EventEmitter } from 'node:events';
import type { ExecutionContext } from 'ava';
import castv2 from 'castv2';
import { NS, PLATFORM_RECEIVER } from '../../src/cast/namespaces.ts';
import { protocolReady } from '../../src/cast/protocol-ready.ts';

type Json = Record<string, unknown>;

/** castv2's own client: frames only (castv2 publishes no types). */
interface CastClient extends EventEmitter {
  connect(options: { host: string; port: number }, callback: () => void): void;
  send(sourceId: string, destinationId: string, namespace: string, data: string): void;
  close(): void;
}

/** A message the sender received. */
export interface Heard {
  readonly source: string;
  readonly destination: string;
  readonly namespace: string;
  readonly data: Json;
}

/**
 * Another sender on the same device, as a phone or pychromecast would be: its own TLS
 * connection, written on raw castv2 frames, that joins a running app and speaks the
 * media namespace to it. It answers the device's PINGs.
 */
export class SecondSender {
  readonly heard: Heard[] = [];
  readonly #client: CastClient;
  readonly #source: string;
  #requestId = 100;

  private constructor(client: CastClient, source: string) {
    this.#client = client;
    this.#source = source;
    client.on('message', (from: string, to: string, namespace: string, data: string | Buffer) => {
      if (typeof data !== 'string') return;
      const parsed = JSON.parse(data) as Json;
      if (namespace === NS.heartbeat && parsed.type === 'PING') return this.#send(from, NS.heartbeat, { type: 'PONG' });
      this.heard.push({ source: from, destination: to, namespace, data: parsed });
    });
  }

  /** Connects to the device at `host:port`; closed when the test ends. */
  static async connect(t: ExecutionContext, host: string, port: number, source = 'sender-phone'): Promise<SecondSender> {
    await protocolReady();
    const { Client } = castv2 as unknown as { Client: new () => CastClient };
    const client = new Client();
    client.on('error', () => {}); // the device may drop the socket when the test ends
    await new Promise<void>((resolve) => client.connect({ host, port }, resolve));
    t.teardown(() => {
      try {
        client.close();
      } catch {
        // already closed by the device
      }
    });
    const sender = new SecondSender(client, source);
    sender.#send(PLATFORM_RECEIVER, NS.connection, { type: 'CONNECT' });
    return sender;
  }

  /** Sends a request with a fresh requestId and resolves with the first message answering it. */
  async request(destination: string, namespace: string, data: Json, ms = 10_000): Promise<Json> {
    const requestId = ++this.#requestId;
    this.#send(destination, namespace, { ...data, requestId });
    return (await this.next((heard) => heard.namespace === namespace && heard.data.requestId === requestId, ms)).data;
  }

  /** Sends a message as it is. */
  send(destination: string, namespace: string, data: Json): void {
    this.#send(destination, namespace, data);
  }

  /** Joins the running app: CONNECT to its transport; resolves with its RECEIVER_STATUS entry. */
  async join(): Promise<{ transportId: string; namespaces: string[] }> {
    const status = await this.request(PLATFORM_RECEIVER, NS.receiver, { type: 'GET_STATUS' });
    const app = ((status.status as Json).applications as Json[])[0]!;
    const transportId = String(app.transportId);
    this.#send(transportId, NS.connection, { type: 'CONNECT' });
    return { transportId, namespaces: (app.namespaces as Array<{ name: string }>).map((entry) => entry.name) };
  }

  /** The first message heard (already, or within `ms`) that matches. */
  async next(match: (heard: Heard) => boolean, ms = 10_000): Promise<Heard> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.heard.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such message within ${ms} ms; heard ${JSON.stringify(this.heard.slice(-5).map((heard) => heard.data))}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  #send(destination: string, namespace: string, data: Json): void {
    this.#client.send(this.#source, destination, namespace, JSON.stringify(data));
  }
}
