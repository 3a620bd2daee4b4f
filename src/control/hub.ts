import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { tokensMatch } from '../http/auth.ts';
import { silentLogger, type Logger } from '../logger.ts';
import {
  CLOSE_CODES,
  controllerMessages,
  helloMessages,
  parseMessage,
  PROTOCOL_VERSION,
  receiverMessages,
  type ControlErrorCode,
  type ControllerRequest,
  type ControlStatus,
  type HelloMessage,
  type ParseFailure,
  type ReceiverCommand,
  type ReceiverMessage,
} from './protocol.ts';
import { ControlError } from './errors.ts';
import type { ReceiverTokens } from './receiver-tokens.ts';

export { ControlError } from './errors.ts';

/** The controller requests a {@link ControlHandler} carries out. */
export type HandledRequest = Exclude<ControllerRequest, { type: 'subscribe' | 'unsubscribe' | 'status' | 'ping' }>;

/** Carries out controller requests other than the hub's own (`subscribe`, `unsubscribe`). */
export interface ControlHandler {
  /** Resolves with the `ok` reply's `result`, or throws a {@link ControlError}. */
  handle(request: HandledRequest): Promise<Record<string, unknown> | undefined>;
}

/** Options of {@link ControlHub}. */
export interface ControlHubOptions {
  /** The install's token, which controllers present. */
  token: string;
  /** The library's name, shown on the receiver's idle screen. Default `NasCast`. */
  name?: string;
  /** Checks receiver tokens. */
  receiverTokens: ReceiverTokens;
  handler: ControlHandler;
  /** Ping interval; a socket that misses two pongs is terminated. Default 15000 ms. */
  heartbeatMs?: number;
  /** Deadline for the `hello`. Default 5000 ms. */
  helloTimeoutMs?: number;
  /** Largest frame accepted. Default 64 KiB. */
  maxPayload?: number;
  /** Messages a socket may send per second. Default 50. */
  ratePerSecond?: number;
  /** A socket whose unsent data passes this is closed. Default 1 MiB. */
  maxBufferedBytes?: number;
  /** Deadline for a receiver's reply to a command. Default 5000 ms. */
  receiverTimeoutMs?: number;
  /** Events kept per device for late subscribers. Default 10. */
  historySize?: number;
  logger?: Logger;
}

/** Events of {@link ControlHub}. */
export interface ControlHubEvents {
  /** A receiver page connected for a device (or registered a browser target). */
  'receiver-up': [device: string, name: string | undefined];
  'receiver-down': [device: string];
  /** A device's status, from its receiver or from {@link ControlHub.publishStatus}. */
  status: [device: string, status: ControlStatus];
}

interface Peer {
  readonly socket: WebSocket;
  readonly session: string;
  role?: 'receiver' | 'controller';
  device?: string;
  readonly rooms: Set<string>;
  missedPongs: number;
  windowStart: number;
  windowCount: number;
  helloTimer?: NodeJS.Timeout;
}

/** A controller request by id: its reply once made, and who waits for it until then. */
interface RecentRequest {
  reply?: Record<string, unknown>;
  readonly waiters: Set<Peer>;
}

/** Request ids remembered for deduplication (a reconnecting client resends within seconds). */
const RECENT_REQUESTS = 2000;

interface PendingReply {
  readonly device: string;
  resolve(result: Record<string, unknown> | undefined): void;
  reject(error: ControlError): void;
  timer: NodeJS.Timeout;
}

/**
 * The WebSocket control channel, mounted on the media server's port at `/control`
 * (ws with `noServer`): the handshake, rooms per device with recent history, request
 * and reply, heartbeats, and limits on size, rate and slow readers.
 */
export class ControlHub extends EventEmitter<ControlHubEvents> {
  readonly #options: ControlHubOptions;
  readonly #logger: Logger;
  readonly #wss: WebSocketServer;
  readonly #peers = new Set<Peer>();
  readonly #receivers = new Map<string, Peer>();
  readonly #names = new Map<string, string>();
  readonly #history = new Map<string, Array<Record<string, unknown>>>();
  readonly #pending = new Map<string, PendingReply>();
  readonly #recent = new Map<string, RecentRequest>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #heartbeatMs: number;

  constructor(options: ControlHubOptions) {
    super();
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#heartbeatMs = options.heartbeatMs ?? 15_000;
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 64 * 1024, perMessageDeflate: false });
    this.#wss.on('error', (error) => this.#logger.warn(`control channel: ${error.message}`));
    this.#wss.on('connection', (socket: WebSocket) => this.#accept(socket));
    this.#heartbeat = setInterval(() => this.#beat(), this.#heartbeatMs);
  }

  /** Routes `/control` upgrades of `server` to the hub; other upgrade paths get 404. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(request, socket, head));
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {}); // a reset during the handshake is the client's business
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/control') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#wss.emit('connection', ws, request));
  }

  /** The devices that have a receiver page connected, with the names browser targets gave. */
  get receivers(): Array<{ device: string; name: string | undefined }> {
    return [...this.#receivers.keys()].map((device) => ({ device, name: this.#names.get(device) }));
  }

  /** How long {@link ControlHub.command} waits for a receiver's reply, in ms. */
  get receiverTimeoutMs(): number {
    return this.#options.receiverTimeoutMs ?? 5000;
  }

  /** How many sockets are open. */
  get connections(): number {
    return this.#peers.size;
  }

  /** Broadcasts a device's status to its room and keeps it in the history. */
  publishStatus(device: string, status: ControlStatus): void {
    this.#toRoom(device, { type: 'status', device, ...status });
    this.emit('status', device, status);
  }

  /** Sends a command to a device's receiver page and waits for its reply. */
  command(device: string, command: ReceiverCommand): Promise<Record<string, unknown> | undefined> {
    const peer = this.#receivers.get(device);
    if (!peer) return Promise.reject(new ControlError('DEVICE_OFFLINE', `no receiver is connected for ${device}`));
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timeoutMs = this.receiverTimeoutMs;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ControlError('TIMEOUT', `the receiver of ${device} did not answer ${command.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { device, resolve, reject, timer });
      this.#send(peer, { ...command, id });
    });
  }

  /** Closes every socket (1001) and stops the heartbeat. */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new ControlError('DEVICE_OFFLINE', 'the control channel is closing'));
    }
    this.#pending.clear();
    for (const peer of this.#peers) peer.socket.close(CLOSE_CODES.goingAway, 'server stopping');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    for (const peer of this.#peers) peer.socket.terminate();
  }

  #accept(socket: WebSocket): void {
    const peer: Peer = { socket, session: randomUUID(), rooms: new Set(), missedPongs: 0, windowStart: Date.now(), windowCount: 0 };
    this.#peers.add(peer);
    socket.on('error', (error) => this.#logger.debug(`control socket ${peer.session}: ${error.message}`));
    socket.on('pong', () => (peer.missedPongs = 0));
    socket.on('close', () => this.#drop(peer));
    socket.on('message', (data: RawData, isBinary: boolean) => this.#onFrame(peer, data, isBinary));
    peer.helloTimer = setTimeout(() => socket.close(CLOSE_CODES.helloTimeout, 'no hello in time'), this.#options.helloTimeoutMs ?? 5000);
  }

  #drop(peer: Peer): void {
    clearTimeout(peer.helloTimer);
    this.#peers.delete(peer);
    if (peer.role === 'receiver' && peer.device && this.#receivers.get(peer.device) === peer) {
      this.#receivers.delete(peer.device);
      this.#names.delete(peer.device);
      // Its unanswered commands fail now, not at their deadline.
      for (const [id, pending] of this.#pending) {
        if (pending.device !== peer.device) continue;
        this.#pending.delete(id);
        clearTimeout(pending.timer);
        pending.reject(new ControlError('DEVICE_OFFLINE', `the receiver of ${peer.device} went away`));
      }
      this.emit('receiver-down', peer.device);
    }
  }

  #onFrame(peer: Peer, data: RawData, isBinary: boolean): void {
    if (!this.#withinRate(peer)) return;
    if (isBinary) return peer.socket.close(CLOSE_CODES.invalidPayload, 'frames must be JSON text');
    const text = rawToString(data);
    if (!peer.role) {
      const parsed = parseMessage(text, helloMessages);
      if (parsed.ok) return this.#hello(peer, parsed.message);
      return this.#refuse(peer, parsed.failure, () => peer.socket.close(CLOSE_CODES.unauthorized, 'hello first'));
    }
    if (peer.role === 'receiver') {
      const parsed = parseMessage(text, receiverMessages);
      if (!parsed.ok) return this.#refuse(peer, parsed.failure);
      if (parsed.message.type === 'hello') return peer.socket.close(CLOSE_CODES.policyViolation, 'hello twice');
      return this.#fromReceiver(peer, parsed.message);
    }
    const parsed = parseMessage(text, controllerMessages);
    if (!parsed.ok) return this.#refuse(peer, parsed.failure);
    if (parsed.message.type === 'hello') return peer.socket.close(CLOSE_CODES.policyViolation, 'hello twice');
    void this.#fromController(peer, parsed.message);
  }

  /** Bad JSON and bad envelopes close the socket; a bad type or bad fields get an error reply. */
  #refuse(peer: Peer, failure: ParseFailure, beforeHello?: () => void): void {
    if (failure.kind === 'invalid-json') return peer.socket.close(CLOSE_CODES.invalidPayload, 'not JSON');
    if (failure.kind === 'bad-envelope') return peer.socket.close(CLOSE_CODES.policyViolation, failure.reason.slice(0, 120));
    if (beforeHello) return beforeHello();
    if (failure.kind === 'unknown-type') return this.#error(peer, failure.id, 'UNKNOWN_TYPE', `unknown message type ${failure.type}`);
    this.#error(peer, failure.id, 'BAD_REQUEST', `${failure.type}: ${failure.reason}`);
  }

  #withinRate(peer: Peer): boolean {
    const now = Date.now();
    if (now - peer.windowStart >= 1000) {
      peer.windowStart = now;
      peer.windowCount = 0;
    }
    if (++peer.windowCount <= (this.#options.ratePerSecond ?? 50)) return true;
    if (peer.socket.readyState === WebSocket.OPEN) peer.socket.close(CLOSE_CODES.rateLimited, 'too many messages');
    return false;
  }

  #hello(peer: Peer, message: HelloMessage): void {
    const device = this.#authorise(message);
    if (device === undefined) return peer.socket.close(CLOSE_CODES.unauthorized, 'wrong or expired token');
    clearTimeout(peer.helloTimer);
    peer.role = message.role;
    if (message.role === 'receiver') {
      const previous = this.#receivers.get(device);
      if (previous && previous !== peer) previous.socket.close(CLOSE_CODES.goingAway, 'replaced by a newer receiver');
      peer.device = device;
      this.#receivers.set(device, peer);
      if (message.name) this.#names.set(device, message.name);
      this.emit('receiver-up', device, message.name);
    }
    this.#send(peer, { type: 'welcome', ...(message.id ? { id: message.id } : {}), session: peer.session, heartbeatMs: this.#heartbeatMs, name: this.#options.name ?? 'NasCast', ...(peer.device ? { device: peer.device } : {}) });
  }

  /** The device a hello may speak for (`''` for a controller), or undefined if it may not connect. */
  #authorise(hello: HelloMessage): string | undefined {
    if (hello.role === 'controller') return tokensMatch(hello.token, this.#options.token) ? '' : undefined;
    // A receiver: the install's token, or a receiver token for this device (or `*`, a browser target).
    const wanted = hello.device ?? (hello.name ? `browser:${slug(hello.name)}` : undefined);
    if (!wanted) return undefined;
    if (tokensMatch(hello.token, this.#options.token)) return wanted;
    const verdict = this.#options.receiverTokens.verify(hello.token);
    if (!verdict.ok) return undefined;
    if (verdict.scope === wanted || (verdict.scope === '*' && wanted.startsWith('browser:'))) return wanted;
    return undefined;
  }

  #fromReceiver(peer: Peer, message: Exclude<ReceiverMessage, { type: 'hello' }>): void {
    const device = peer.device!;
    if (message.type === 'status') {
      return this.publishStatus(device, withoutEnvelope(message) as ControlStatus);
    }
    if (message.type === 'ping') return this.#ok(peer, message.id);
    if (message.type === 'ok' || message.type === 'error') {
      const pending = message.id ? this.#pending.get(message.id) : undefined;
      if (!pending) return;
      this.#pending.delete(message.id!);
      clearTimeout(pending.timer);
      if (message.type === 'ok') return pending.resolve(message.result);
      const code = message.code === 'LOAD_FAILED' || message.code === 'BAD_REQUEST' ? message.code : 'LOAD_FAILED';
      return pending.reject(new ControlError(code, message.message));
    }
  }

  async #fromController(peer: Peer, message: ControllerRequest): Promise<void> {
    switch (message.type) {
      case 'subscribe':
        peer.rooms.add(message.device);
        this.#ok(peer, message.id);
        for (const event of this.#history.get(message.device) ?? []) this.#send(peer, { ...event, replay: true });
        return;
      case 'unsubscribe':
        peer.rooms.delete(message.device);
        return this.#ok(peer, message.id);
      case 'ping':
        return this.#ok(peer, message.id);
      case 'status':
        try {
          return this.#ok(peer, message.id, this.#lastStatus(message.device));
        } catch (error) {
          return this.#send(peer, this.#errorReply(message, error));
        }
    }
    // A client resends what was unanswered when its socket dropped; the same id is carried out once.
    const seen = message.id === undefined ? undefined : this.#recent.get(message.id);
    if (seen) {
      if (seen.reply) return this.#send(peer, seen.reply);
      seen.waiters.add(peer);
      return;
    }
    const entry: RecentRequest = { waiters: new Set([peer]) };
    if (message.id !== undefined) this.#remember(message.id, entry);
    let reply: Record<string, unknown>;
    try {
      const result = await this.#options.handler.handle(message);
      reply = { type: 'ok', ...(message.id ? { id: message.id } : {}), ...(result ? { result } : {}) };
    } catch (error) {
      reply = this.#errorReply(message, error);
    }
    entry.reply = reply;
    // A waiter whose socket closed is skipped by #sendFrame; its next socket asks again and gets the kept reply.
    for (const waiter of entry.waiters) this.#send(waiter, reply);
    entry.waiters.clear();
  }

  #errorReply(message: ControllerRequest, error: unknown): Record<string, unknown> {
    const id = message.id ? { id: message.id } : {};
    if (error instanceof ControlError) return { type: 'error', ...id, code: error.code, message: error.message };
    this.#logger.error(`control request ${message.type} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { type: 'error', ...id, code: 'INTERNAL', message: 'the request failed; the server log says why' };
  }

  #remember(id: string, entry: RecentRequest): void {
    this.#recent.set(id, entry);
    if (this.#recent.size > RECENT_REQUESTS) this.#recent.delete(this.#recent.keys().next().value!);
  }

  #lastStatus(device: string): Record<string, unknown> {
    const last = (this.#history.get(device) ?? []).findLast((event) => event.type === 'status');
    if (!last) throw new ControlError('UNKNOWN_DEVICE', `no status is known for ${device}`);
    return withoutEnvelope(last);
  }

  #toRoom(device: string, event: Record<string, unknown>): void {
    const history = this.#history.get(device) ?? [];
    history.push(event);
    if (history.length > (this.#options.historySize ?? 10)) history.shift();
    this.#history.set(device, history);
    // Serialised once for the whole room: 1,000 subscribers must not mean 1,000 stringify calls.
    const frame = JSON.stringify({ v: PROTOCOL_VERSION, ...event });
    for (const peer of this.#peers) if (peer.rooms.has(device)) this.#sendFrame(peer, frame);
  }

  #ok(peer: Peer, id: string | undefined, result?: Record<string, unknown>): void {
    this.#send(peer, { type: 'ok', ...(id ? { id } : {}), ...(result ? { result } : {}) });
  }

  #error(peer: Peer, id: string | undefined, code: ControlErrorCode, message: string): void {
    this.#send(peer, { type: 'error', ...(id ? { id } : {}), code, message });
  }

  #send(peer: Peer, message: Record<string, unknown>): void {
    this.#sendFrame(peer, JSON.stringify({ v: PROTOCOL_VERSION, ...message }));
  }

  #sendFrame(peer: Peer, frame: string): void {
    if (peer.socket.readyState !== WebSocket.OPEN) return;
    if (peer.socket.bufferedAmount > (this.#options.maxBufferedBytes ?? 1024 * 1024)) {
      peer.socket.close(CLOSE_CODES.slowConsumer, 'reading too slowly');
      // A reader that stalls may not read the close frame either.
      setTimeout(() => peer.socket.terminate(), 1000).unref();
      return;
    }
    peer.socket.send(frame);
  }

  #beat(): void {
    for (const peer of this.#peers) {
      if (peer.missedPongs >= 2) {
        this.#logger.debug(`control socket ${peer.session} missed two pongs: terminated`);
        peer.socket.terminate();
        continue;
      }
      peer.missedPongs++;
      if (peer.socket.readyState === WebSocket.OPEN) peer.socket.ping();
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** `Kitchen Tablet` → `kitchen-tablet`: a stable device key for a browser target. */
function slug(name: string): string {
  return name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'browser';
}

/** A message's fields without `v`, `type` and `id`. */
function withoutEnvelope(message: Record<string, unknown>): Record<string, unknown> {
  const fields = { ...message };
  delete fields.v;
  delete fields.type;
  delete fields.id;
  return fields;
}
