import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { WebSocket } from 'ws';
import { ClientPlayer } from './client-player.ts';
import { ControlError } from '../errors.ts';
import { CLOSE_CODES, CONTROL_ERROR_CODES, ControlChannel, playerStatus, type ChannelState, type ControlErrorCode, type ControllerRequest, type ControlStatus, type DeviceSummary, type WebSocketLike } from '../protocol/index.ts';

/** Options of {@link ControlClient}. */
export interface ControlClientOptions {
  /** The hub's URL: `ws://nas.lan:8585/control` or `wss://…`. */
  url: string;
  /** The install's token (`nascast token`). */
  token: string;
  /** Deadline of each request, from the call (time spent disconnected counts). Default 10000 ms. */
  requestTimeoutMs?: number;
  /** First reconnect delay, doubling with jitter. Default 250 ms. */
  initialDelayMs?: number;
  /** Longest reconnect delay. Default 10000 ms. */
  maxDelayMs?: number;
  /** With no frame for this long the client pings, and reconnects if that goes unanswered. Default: the hub's heartbeat. */
  idleMs?: number;
  /**
   * With `wss://`: the SHA-256 fingerprint of the server's certificate (`AB:CD:…`, as
   * `nascast serve` prints it), trusted instead of a certificate authority: a
   * self-signed certificate is accepted when it matches, and any other is refused
   * before the token is sent.
   */
  fingerprint?: string;
}

/** Events of {@link ControlClient}. */
export interface ControlClientEvents {
  /** Connected and welcomed (again, after a reconnect). */
  open: [session: string];
  /** The socket dropped; the client retries after `delayMs`. */
  reconnecting: [info: { code: number | undefined; reason: string | undefined; delayMs: number }];
  /** A subscribed device's status; `replay` marks history sent on (re)subscribe. */
  status: [device: string, status: ControlStatus, replay: boolean];
  /** The hub refused the token, or the URL is unusable: the client has stopped. */
  error: [error: ControlError];
}

/** What `play` accepts: a library media id or a URL, and where to start. */
export interface PlayRequest {
  media?: string;
  url?: string;
  startAt?: number;
  /** The subtitle language to show (a file beside it, or a text stream inside it). */
  subtitles?: string;
  /** The audio track's language (`fr`, `fre`, `French`), for files with several; converted for the device when needed. */
  audio?: string;
  /** In a queue, how long each photo shows, in seconds (1-3600). Default 8. */
  photoSeconds?: number;
}

type Fields<T extends ControllerRequest['type']> = Omit<Extract<ControllerRequest, { type: T }>, 'v' | 'type' | 'id'>;

interface Outgoing {
  readonly frame: Record<string, unknown>;
  resolve(result: Record<string, unknown> | undefined): void;
  reject(error: ControlError): void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Drives a NasCast hub from anywhere on the LAN. Requests are promises with deadlines;
 * made while disconnected, they wait in an outbox and go out once the client is back.
 * A request whose socket dropped before its reply is sent again with the same id, and
 * the hub carries out each id once, so nothing runs twice. Subscriptions come back
 * after a reconnect by themselves.
 *
 * @example
 * ```ts
 * const client = new ControlClient({ url: 'ws://nas.lan:8585/control', token });
 * await client.connect();
 * const player = await client.player('Living Room TV'); // the same calls as NasCast.player()
 * player.on('status', (status) => console.log(status.state, status.position));
 * await player.load('Films/Big Buck Bunny.mp4', { subtitles: 'en' });
 * await player.seek(120);
 * client.close();
 * ```
 */
export class ControlClient extends EventEmitter<ControlClientEvents> {
  readonly #options: ControlClientOptions;
  readonly #channel: ControlChannel;
  readonly #outbox = new Map<string, Outgoing>();
  readonly #rooms = new Set<string>();
  #closed = false;
  #opened: { promise: Promise<void>; resolve(): void; reject(error: ControlError): void } | undefined;

  constructor(options: ControlClientOptions) {
    super();
    this.#options = options;
    this.#channel = new ControlChannel({
      url: options.url,
      hello: { token: options.token, role: 'controller', client: randomUUID() },
      createSocket: (url) => openSocket(url, options.fingerprint, (reason) => this.#refuse(new ControlError('UNAUTHORIZED', `the server at ${options.url} is not the one pinned: ${reason}`))),
      initialDelayMs: options.initialDelayMs,
      maxDelayMs: options.maxDelayMs,
      idleMs: options.idleMs,
      onOpen: (welcome) => this.#onOpen(welcome),
      onMessage: (message) => this.#onMessage(message),
      onState: (state, detail) => this.#onState(state, detail),
    });
  }

  /** Whether the socket is open and welcomed now. */
  get connected(): boolean {
    return this.#channel.state === 'open';
  }

  /** Connects; resolves on the first `welcome`, rejects if the hub refuses the token. Retries meanwhile. */
  connect(): Promise<void> {
    if (this.#closed) return Promise.reject(new ControlError('CLOSED', 'this client was closed'));
    if (this.connected) return Promise.resolve();
    if (this.#opened) return this.#opened.promise; // a second call while connecting shares the first's outcome
    let settle!: { resolve(): void; reject(error: ControlError): void };
    const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    this.#opened = { promise, ...settle };
    this.#channel.start();
    return promise;
  }

  /** Sends any request; resolves with the `ok` reply's `result`. */
  request<T extends ControllerRequest['type']>(type: T, fields: Fields<T>, options: { timeoutMs?: number } = {}): Promise<Record<string, unknown> | undefined> {
    if (this.#closed) return Promise.reject(new ControlError('CLOSED', 'this client was closed'));
    const id = randomUUID();
    const frame = { type, id, ...fields };
    return new Promise((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        this.#outbox.delete(id);
        reject(new ControlError('TIMEOUT', `${type} got no answer within ${timeoutMs} ms${this.connected ? '' : ' (the hub cannot be reached)'}`));
      }, timeoutMs);
      this.#outbox.set(id, { frame, resolve, reject, timer });
      this.#channel.send(frame); // if closed now, #onOpen sends it
    });
  }

  /** Follows a device's status: its recent history first (`replay`), then every change. Kept across reconnects. */
  async subscribe(device: string): Promise<void> {
    this.#rooms.add(device);
    await this.request('subscribe', { device });
  }

  async unsubscribe(device: string): Promise<void> {
    this.#rooms.delete(device);
    await this.request('unsubscribe', { device });
  }

  /**
   * A device by id or name, with the same calls as `NasCast.player()`: connects if
   * needed, subscribes to its status and keeps the last one. `UNKNOWN_DEVICE` lists
   * the devices there are.
   */
  async player(device: string): Promise<ClientPlayer> {
    await this.connect();
    return ClientPlayer.open(this, device);
  }

  /** The devices the server knows, with their state. */
  async devices(): Promise<DeviceSummary[]> {
    const result = await this.request('devices', {});
    return Array.isArray(result?.devices) ? (result.devices as DeviceSummary[]) : [];
  }

  /** A library folder's listing (the roots with no path), as `/api/library` gives it. */
  async list(path?: string): Promise<Record<string, unknown> | undefined> {
    return this.request('list', path === undefined ? {} : { path });
  }

  /** How much of the library is indexed and probed, as `/api/status` gives it. */
  async libraryStatus(): Promise<Record<string, unknown> | undefined> {
    await this.connect();
    return this.request('library', {});
  }

  /** Library items matching `query`, best first, as `/api/search` gives them (`{ items }`). */
  /** What would be done to a library file on `device` (every online device with none), and why; see `Explanation`. */
  async explain(media: string, options: { device?: string; audio?: string; subtitles?: string } = {}): Promise<Record<string, unknown> | undefined> {
    await this.connect();
    return this.request('explain', { media, ...options });
  }

  async search(query: string, limit?: number): Promise<Record<string, unknown> | undefined> {
    await this.connect();
    return this.request('search', limit === undefined ? { query } : { query, limit });
  }

  /** Items started and not finished, most recent first, as `/api/continue` gives them (`{ items }`). */
  async continueWatching(limit?: number): Promise<Record<string, unknown> | undefined> {
    await this.connect();
    return this.request('continue', limit === undefined ? {} : { limit });
  }

  async play(device: string, what: PlayRequest): Promise<Record<string, unknown> | undefined> {
    return this.request('play', { device, ...what });
  }

  async pause(device: string): Promise<void> {
    await this.request('pause', { device });
  }

  async resume(device: string): Promise<void> {
    await this.request('resume', { device });
  }

  async stop(device: string): Promise<void> {
    await this.request('stop', { device });
  }

  async next(device: string): Promise<void> {
    await this.request('next', { device });
  }

  async prev(device: string): Promise<void> {
    await this.request('prev', { device });
  }

  /** Seconds from the start. */
  async seek(device: string, position: number): Promise<void> {
    await this.request('seek', { device, position });
  }

  /** Seeks by `seconds` from where the device is now (back when negative). */
  async seekBy(device: string, seconds: number): Promise<void> {
    await this.request('seek', { device, by: seconds });
  }

  /** 0 to 1. */
  async volume(device: string, level: number): Promise<void> {
    await this.request('volume', { device, level });
  }

  async mute(device: string, muted: boolean): Promise<void> {
    await this.request('mute', { device, muted });
  }

  /** The last status the hub has for a device. */
  async status(device: string): Promise<ControlStatus> {
    const result = await this.request('status', { device });
    const checked = playerStatus.check(result, 'status');
    if (!checked.ok) throw new ControlError('INTERNAL', `the hub sent a malformed status: ${checked.path} ${checked.reason}`);
    return checked.value;
  }

  /** Closes for good; requests still waiting reject with `CLOSED`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.close();
    this.#failAll(new ControlError('CLOSED', 'the client was closed'));
  }

  #onOpen(welcome: Record<string, unknown>): void {
    this.#opened?.resolve();
    this.#opened = undefined;
    // Rooms first, so a resent play's statuses reach us; then every unanswered request, once each.
    for (const device of this.#rooms) this.#channel.send({ type: 'subscribe', device });
    for (const outgoing of this.#outbox.values()) this.#channel.send(outgoing.frame);
    this.emit('open', typeof welcome.session === 'string' ? welcome.session : '');
  }

  #onMessage(message: Record<string, unknown>): void {
    if (message.type === 'status' && typeof message.device === 'string') {
      const checked = playerStatus.check(message, 'status');
      if (checked.ok) this.emit('status', message.device, checked.value, message.replay === true);
      return;
    }
    if ((message.type !== 'ok' && message.type !== 'error') || typeof message.id !== 'string') return;
    const outgoing = this.#outbox.get(message.id);
    if (!outgoing) return; // a resubscribe's reply, or a reply after the deadline
    this.#outbox.delete(message.id);
    clearTimeout(outgoing.timer);
    if (message.type === 'ok') {
      const result = message.result;
      outgoing.resolve(typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : undefined);
      return;
    }
    const code = (CONTROL_ERROR_CODES as readonly string[]).includes(String(message.code)) ? (message.code as ControlErrorCode) : 'INTERNAL';
    outgoing.reject(new ControlError(code, typeof message.message === 'string' ? message.message : 'request failed'));
  }

  #onState(state: ChannelState, detail: { code?: number; reason?: string; delayMs?: number } = {}): void {
    if (state === 'waiting') {
      this.emit('reconnecting', { code: detail.code, reason: detail.reason, delayMs: detail.delayMs ?? 0 });
      return;
    }
    if (state !== 'closed' || this.#closed) return;
    // The channel stopped by itself: the token was refused, or the URL cannot be used.
    const error =
      detail.code === CLOSE_CODES.unauthorized
        ? new ControlError('UNAUTHORIZED', `the hub at ${this.#options.url} refused the token (${detail.reason ?? 'unauthorized'}); see \`nascast token\``)
        : new ControlError('BAD_REQUEST', `cannot connect to ${this.#options.url}: ${detail.reason ?? 'unknown reason'}`);
    this.#closed = true;
    this.#failAll(error);
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  /** Stops for good with `error`: what no retry can mend (a certificate that is not the pinned one). */
  #refuse(error: ControlError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.close();
    this.#failAll(error);
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  #failAll(error: ControlError): void {
    this.#opened?.reject(error);
    this.#opened = undefined;
    for (const outgoing of this.#outbox.values()) {
      clearTimeout(outgoing.timer);
      outgoing.reject(error);
    }
    this.#outbox.clear();
  }
}

function openSocket(url: string, fingerprint: string | undefined, mismatch: (reason: string) => void): WebSocketLike {
  const pinned = fingerprint !== undefined && url.startsWith('wss:') ? pinnedConnection(fingerprint, mismatch) : {};
  const socket = new WebSocket(url, { perMessageDeflate: false, ...pinned });
  // ws emits 'error' as an event too; the channel listens through onerror/onclose.
  socket.on('error', () => {});
  return socket;
}

/**
 * A TLS connection that trusts one certificate by its fingerprint: the chain is not
 * checked (a self-signed certificate has none), the fingerprint is, as soon as the
 * handshake ends and before the WebSocket request (and later the token) is sent.
 */
function pinnedConnection(fingerprint: string, mismatch: (reason: string) => void): { createConnection: (options: ConnectionOptions) => TLSSocket } {
  const wanted = normaliseFingerprint(fingerprint);
  return {
    createConnection: (options) => {
      const socket = tlsConnect({ ...options, rejectUnauthorized: false });
      socket.once('secureConnect', () => {
        const found = (socket.getPeerCertificate() as { fingerprint256?: string } | null)?.fingerprint256 ?? 'none';
        if (normaliseFingerprint(found) === wanted) return;
        socket.destroy(new Error('certificate fingerprint mismatch'));
        mismatch(`its certificate's fingerprint is ${found}, not ${fingerprint}`);
      });
      return socket;
    },
  };
}

/** `ab:cd…`, `ABCD…` and `AB:CD…` are the same fingerprint. */
function normaliseFingerprint(value: string): string {
  return value.replace(/[^0-9a-f]/gi, '').toUpperCase();
}
