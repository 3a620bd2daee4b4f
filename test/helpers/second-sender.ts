import type { ExecutionContext } from 'ava';
import { NS, PLATFORM_RECEIVER } from '../../src/cast/namespaces.ts';
import { rawSender, type RawSender, type Received } from './raw-sender.ts';

type Json = Record<string, unknown>;

/** A message the sender received. */
export type Heard = Received;

/**
 * Another sender on the same device, as a phone or pychromecast would be: its own TLS
 * connection, written on raw castv2 frames, that joins a running app and speaks the
 * media namespace to it. It answers the device's PINGs.
 */
export class SecondSender {
  readonly #raw: RawSender;
  #requestId = 100;

  private constructor(raw: RawSender) {
    this.#raw = raw;
  }

  /** Connects to the device at `host:port`; closed when the test ends. */
  static async connect(t: ExecutionContext, host: string, port: number, source = 'sender-phone'): Promise<SecondSender> {
    const raw = await rawSender(t, host, port, { source, answerPings: true });
    raw.connect();
    return new SecondSender(raw);
  }

  /** Every message heard so far, the device's PINGs aside. */
  get heard(): readonly Heard[] {
    return this.#raw.inbox;
  }

  /** Sends a request with a fresh requestId and resolves with the first message answering it. */
  async request(destination: string, namespace: string, data: Json, ms = 10_000): Promise<Json> {
    const requestId = ++this.#requestId;
    this.send(destination, namespace, { ...data, requestId });
    return (await this.next((heard) => heard.namespace === namespace && heard.data.requestId === requestId, ms)).data;
  }

  /** Sends a message as it is. */
  send(destination: string, namespace: string, data: Json): void {
    this.#raw.send(namespace, data, { destination });
  }

  /** Joins the running app: CONNECT to its transport; resolves with its RECEIVER_STATUS entry. */
  async join(): Promise<{ transportId: string; namespaces: string[] }> {
    const status = await this.request(PLATFORM_RECEIVER, NS.receiver, { type: 'GET_STATUS' });
    const app = ((status.status as Json).applications as Json[])[0]!;
    const transportId = String(app.transportId);
    this.#raw.connect(transportId);
    return { transportId, namespaces: (app.namespaces as Array<{ name: string }>).map((entry) => entry.name) };
  }

  /** The first message heard (already, or within `ms`) that matches. */
  next(match: (heard: Heard) => boolean, ms = 10_000): Promise<Heard> {
    return this.#raw.next(match, ms);
  }
}
