// The page's end of the control channel: requests with ids and deadlines over the
// shared reconnecting ControlChannel, and the status of the devices it follows.
import { ControlChannel, type ChannelState, type ControlErrorCode, type ControlStatus } from '../../src/protocol/index.ts';
import { ControlError } from '../../src/errors.ts';

interface Pending {
  resolve(result: Record<string, unknown> | undefined): void;
  reject(error: ControlError): void;
  timer: number;
}

export interface HubEvents {
  status(device: string, status: ControlStatus): void;
  state(state: ChannelState, reason?: string): void;
  /** The hub refused the token (close 4401): the page goes back to the login. */
  refused(): void;
}

export class Hub {
  readonly #channel: ControlChannel;
  readonly #pending = new Map<string, Pending>();
  readonly #rooms = new Set<string>();
  #next = 0;

  constructor(token: string, events: HubEvents) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.#channel = new ControlChannel({
      url: `${scheme}://${location.host}/control`,
      // crypto.randomUUID needs a secure context, which a page on a LAN address is not.
      hello: { token, role: 'controller', client: `web-${Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join('')}` },
      createSocket: (url) => new WebSocket(url),
      onOpen: () => {
        // Subscriptions are per socket: renew them after a reconnect.
        for (const device of this.#rooms) this.#channel.send({ type: 'subscribe', id: this.#id(), device });
      },
      onMessage: (message) => this.#onMessage(message, events),
      onState: (state, detail) => {
        if (detail?.code === 4401) events.refused();
        events.state(state, detail?.reason);
      },
    });
    this.#channel.start();
  }

  request(type: string, fields: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<Record<string, unknown> | undefined> {
    const id = this.#id();
    return new Promise((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.#pending.delete(id);
        reject(new ControlError('TIMEOUT', 'NasCast did not answer in time: is it still running?'));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      if (!this.#channel.send({ type, id, ...fields })) {
        window.clearTimeout(timer);
        this.#pending.delete(id);
        reject(new ControlError('CLOSED', 'Not connected to NasCast; it reconnects by itself.'));
      }
    });
  }

  /** Follows a device's status from now on (and after reconnects). */
  follow(device: string): void {
    if (this.#rooms.has(device)) return;
    this.#rooms.add(device);
    this.request('subscribe', { device }).catch(() => this.#rooms.delete(device));
  }

  close(): void {
    this.#channel.close();
  }

  #id(): string {
    return `web-${Date.now().toString(36)}-${(this.#next++).toString(36)}`;
  }

  #onMessage(message: Record<string, unknown>, events: HubEvents): void {
    if (message.type === 'status' && typeof message.device === 'string') {
      events.status(message.device, message as unknown as ControlStatus);
      return;
    }
    if ((message.type !== 'ok' && message.type !== 'error') || typeof message.id !== 'string') return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    window.clearTimeout(pending.timer);
    if (message.type === 'ok') pending.resolve(message.result as Record<string, unknown> | undefined);
    else pending.reject(new ControlError(String(message.code) as ControlErrorCode, typeof message.message === 'string' ? message.message : 'the request failed'));
  }
}
