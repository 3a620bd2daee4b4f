// The client end of the control channel, shared by the Node ControlClient and the
// receiver page: it runs in browsers as it is (no Node import), over any WebSocket
// with the standard browser API (the global one, or ws's in Node).
import { backoffDelay } from './backoff.ts';
import { CLOSE_CODES, PROTOCOL_VERSION } from './codes.ts';
import { errorMessage } from '../errors.ts';

// Method-typed, so that the DOM's and ws's richer event types are assignable to it.
type Handler<E> = { bivariant(event: E): void }['bivariant'] | null;

/** The part of the standard WebSocket API the channel uses; ws's WebSocket has it too. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown>;
  onmessage: Handler<{ data: unknown }>;
  onclose: Handler<{ code: number; reason: string }>;
  onerror: Handler<unknown>;
}

/** Opens a WebSocket to a URL. */
export type WebSocketFactory = (url: string) => WebSocketLike;

/** The `hello` fields the channel sends on every (re)connect. */
export interface HelloFields {
  token: string;
  role: 'receiver' | 'controller';
  device?: string;
  name?: string;
  /** A controller's own id, the same on each reconnect, so that resent requests are carried out once. */
  client?: string;
  /** A receiver's answer to what it plays (of `SUPPORT_TYPES`). */
  supports?: string[];
}

/** What the channel is doing. */
export type ChannelState = 'connecting' | 'open' | 'waiting' | 'closed';

/** Options of {@link ControlChannel}. */
export interface ControlChannelOptions {
  url: string;
  hello: HelloFields;
  createSocket: WebSocketFactory;
  /** The first reconnect delay; it doubles up to `maxDelayMs`, with jitter. Default 250 ms. */
  initialDelayMs?: number;
  /** Default 10000 ms. */
  maxDelayMs?: number;
  /** A connection with no `welcome` within this is dropped and retried. Default 5000 ms. */
  connectTimeoutMs?: number;
  /**
   * With no frame from the server for this long, the channel sends `ping`; with no
   * answer for as long again, it drops the socket and reconnects. Default: the
   * server's `heartbeatMs` from `welcome`.
   */
  idleMs?: number;
  /** Called with the `welcome` message of each connection. */
  onOpen?(welcome: Record<string, unknown>): void;
  /** Called with each parsed message after `welcome`. */
  onMessage(message: Record<string, unknown>): void;
  /** Called on each state change; `detail` says why (a close code and reason). */
  onState?(state: ChannelState, detail?: { code?: number; reason?: string; delayMs?: number }): void;
}

const OPEN = 1;

/**
 * One logical connection to the hub that survives dropped sockets: it sends `hello`,
 * waits for `welcome`, notices a dead link by its own pings, and reconnects with
 * exponential backoff and jitter until {@link ControlChannel.close} is called or the
 * hub refuses the token (close 4401), which no retry can mend.
 */
export class ControlChannel {
  readonly #options: ControlChannelOptions;
  #socket: WebSocketLike | undefined;
  #state: ChannelState = 'closed';
  #attempt = 0;
  #stopped = true;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #idleMs = 15_000;
  #pingSent = false;
  #pings = 0;
  // A receiver's proof that it is the same screen when it reconnects (from its first welcome).
  #secret: string | undefined;

  constructor(options: ControlChannelOptions) {
    this.#options = options;
  }

  get state(): ChannelState {
    return this.#state;
  }

  /** Starts connecting (again). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  /** Sends a message if the channel is open; returns whether it went. */
  send(message: Record<string, unknown>): boolean {
    const socket = this.#socket;
    if (this.#state !== 'open' || !socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify({ v: PROTOCOL_VERSION, ...message }));
    return true;
  }

  /** Closes for good. */
  close(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#idleTimer);
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      detach(socket);
      socket.close(1000, 'closed by client');
    }
    this.#setState('closed');
  }

  #connect(): void {
    this.#setState('connecting');
    let socket: WebSocketLike;
    try {
      socket = this.#options.createSocket(this.#options.url);
    } catch (error) {
      // A malformed URL throws at once; retrying would throw again.
      this.#stopped = true;
      this.#setState('closed', { reason: errorMessage(error) });
      return;
    }
    this.#socket = socket;
    let welcomed = false;
    const handshakeTimer = setTimeout(() => socket.close(4408, 'no welcome in time'), this.#options.connectTimeoutMs ?? 5000);
    socket.onopen = () => socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'hello', ...this.#options.hello, ...(this.#secret === undefined ? {} : { secret: this.#secret }) }));
    socket.onerror = () => {}; // a close event always follows, and carries what we need
    socket.onmessage = (event) => {
      const message = parse(event.data);
      if (!message) return;
      this.#sawTraffic();
      if (!welcomed) {
        if (message.type !== 'welcome') return;
        welcomed = true;
        clearTimeout(handshakeTimer);
        this.#attempt = 0;
        this.#idleMs = this.#options.idleMs ?? (typeof message.heartbeatMs === 'number' ? message.heartbeatMs : 15_000);
        if (typeof message.secret === 'string') this.#secret = message.secret;
        this.#setState('open');
        this.#sawTraffic();
        this.#options.onOpen?.(message);
        return;
      }
      if (message.type === 'ok' && typeof message.id === 'string' && message.id.startsWith('channel-ping-')) return;
      this.#options.onMessage(message);
    };
    socket.onclose = (event) => {
      clearTimeout(handshakeTimer);
      clearTimeout(this.#idleTimer);
      detach(socket);
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (this.#stopped) return this.#setState('closed', { code: event.code, reason: event.reason });
      if (event.code === CLOSE_CODES.unauthorized) {
        this.#stopped = true;
        return this.#setState('closed', { code: event.code, reason: event.reason || 'unauthorized' });
      }
      const delayMs = backoffDelay(this.#attempt++, this.#options.initialDelayMs ?? 250, this.#options.maxDelayMs ?? 10_000);
      this.#setState('waiting', { code: event.code, reason: event.reason, delayMs });
      this.#retryTimer = setTimeout(() => this.#connect(), delayMs);
    };
  }

  /** Any frame proves the link alive; silence gets a ping, and silence after the ping a reconnect. */
  #sawTraffic(): void {
    this.#pingSent = false;
    this.#armIdle();
  }

  #armIdle(): void {
    clearTimeout(this.#idleTimer);
    if (this.#state !== 'open') return;
    this.#idleTimer = setTimeout(() => {
      if (this.#pingSent) return this.#socket?.close(4000, 'the server stopped answering');
      this.#pingSent = true;
      this.send({ type: 'ping', id: `channel-ping-${++this.#pings}` });
      this.#armIdle();
    }, this.#idleMs);
  }

  #setState(state: ChannelState, detail?: { code?: number; reason?: string; delayMs?: number }): void {
    this.#state = state;
    this.#options.onState?.(state, detail);
  }
}

function detach(socket: WebSocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onerror = null;
  socket.onclose = null;
}

function parse(data: unknown): Record<string, unknown> | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
