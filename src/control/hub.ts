import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ControlError, controlCodeOf, errorMessage } from '../errors.ts';
import { type Logger, partLogger } from '../logger.ts';
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
} from '../protocol/index.ts';
import { tokensMatch } from '../signing.ts';
import { PendingCommands } from './pending-commands.ts';
import type { ReceiverTokens } from './receiver-tokens.ts';
import { Receivers, type ConnectedReceiver, type SelfNamedReceivers } from './receivers.ts';
import { OncePerId } from './once-per-id.ts';
import { ControlSockets, type Peer } from './sockets.ts';
import { StatusHistory, withoutEnvelope } from './status-history.ts';

export type { ConnectedReceiver, SelfNamedReceivers } from './receivers.ts';

/** The controller requests a {@link ControlHandler} carries out. */
export type HandledRequest = Exclude<ControllerRequest, { type: 'subscribe' | 'unsubscribe' | 'status' | 'ping' }>;

/** Carries out controller requests other than the hub's own (`subscribe`, `unsubscribe`, `status`, `ping`). */
export interface ControlHandler {
  /** Resolves with the `ok` reply's `result`; what it throws is answered with the code `controlCodeOf` gives. */
  handle(request: HandledRequest): Promise<Record<string, unknown> | undefined>;
  /**
   * The key of the device a request names by id or by name, if it knows one: the hub's
   * rooms and history are kept by key, so `subscribe` and `status` by name find them.
   */
  deviceKey?(device: string): string | undefined;
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
  /** Keys for receivers that name themselves (browser targets). */
  selfNamed?: SelfNamedReceivers;
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
  /** Receivers connected at once, in all. Default 100. */
  maxReceivers?: number;
  /** Receivers connected at once with one receiver token (browser targets share the one `serve` prints). Default 16. */
  maxReceiversPerToken?: number;
  /** Devices one controller may subscribe to. Default 256. */
  maxSubscriptions?: number;
  /**
   * The install's token only over TLS (`wss://`) or a trusted listener: with HTTPS on,
   * a hello that sends it in clear is refused (4401). Receiver tokens may use `ws://`.
   */
  tokenOverTlsOnly?: boolean;
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

/** Request ids remembered for deduplication (a reconnecting client resends within seconds). */
const RECENT_REQUESTS = 2000;

/**
 * The messaging rules of the WebSocket control channel: the handshake and who may
 * speak for which device, rooms per device with recent history, request and reply
 * (each request id carried out once), and commands to receiver pages. The sockets,
 * their limits and heartbeats are {@link ControlSockets}'.
 */
export class ControlHub extends EventEmitter<ControlHubEvents> {
  readonly #options: ControlHubOptions;
  readonly #logger: Logger;
  readonly #sockets: ControlSockets;
  readonly #receivers: Receivers;
  readonly #history: StatusHistory;
  readonly #pending = new PendingCommands();
  readonly #once = new OncePerId<Peer>(RECENT_REQUESTS);
  readonly #heartbeatMs: number;

  constructor(options: ControlHubOptions) {
    super();
    this.#options = options;
    this.#logger = partLogger(options.logger);
    this.#heartbeatMs = options.heartbeatMs ?? 15_000;
    this.#history = new StatusHistory(options.historySize ?? 10);
    this.#receivers = new Receivers({
      token: options.token,
      receiverTokens: options.receiverTokens,
      selfNamed: options.selfNamed,
      maxReceivers: options.maxReceivers ?? 100,
      maxPerToken: options.maxReceiversPerToken ?? 16,
      onExpired: (peer) => peer.socket.close(CLOSE_CODES.unauthorized, 'the receiver token expired'),
    });
    this.#sockets = new ControlSockets({
      heartbeatMs: this.#heartbeatMs,
      helloTimeoutMs: options.helloTimeoutMs ?? 5000,
      maxPayload: options.maxPayload ?? 64 * 1024,
      ratePerSecond: options.ratePerSecond ?? 50,
      maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
      logger: this.#logger,
      onText: (peer, text) => this.#onText(peer, text),
      onClose: (peer) => this.#drop(peer),
    });
  }

  /**
   * Routes `/control` upgrades of `server` to the hub; other upgrade paths get 404.
   * `trusted`: a server whose clients are authenticated by where it listens (a Unix
   * socket of mode 0600 in the storage folder): their controllers need no token.
   */
  attach(server: Server, options: { trusted?: boolean } = {}): void {
    this.#sockets.attach(server, options);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, options: { trusted?: boolean } = {}): void {
    this.#sockets.handleUpgrade(request, socket, head, options);
  }

  /** The devices that have a receiver page connected, with the names browser targets gave. */
  get receivers(): ConnectedReceiver[] {
    return this.#receivers.list();
  }

  /** How long {@link ControlHub.command} waits for a receiver's reply, in ms. */
  get receiverTimeoutMs(): number {
    return this.#options.receiverTimeoutMs ?? 5000;
  }

  /** How many sockets are open. */
  get connections(): number {
    return this.#sockets.size;
  }

  /** The last status known for a device, its position moved on to now; undefined if none is. */
  lastStatus(device: string): ControlStatus | undefined {
    try {
      return this.#history.lastStatus(device) as ControlStatus;
    } catch {
      return undefined;
    }
  }

  /** Broadcasts a device's status to its room and keeps it in the history. */
  publishStatus(device: string, status: ControlStatus): void {
    this.#toRoom(device, { type: 'status', device, ...status });
    this.emit('status', device, status);
  }

  /** Sends a command to a device's receiver page and waits for its reply. */
  command(device: string, command: ReceiverCommand): Promise<Record<string, unknown> | undefined> {
    const peer = this.#receivers.peer(device);
    if (!peer) return Promise.reject(new ControlError('DEVICE_OFFLINE', `no receiver is connected for ${device}`));
    const { id, reply } = this.#pending.open(device, this.receiverTimeoutMs, command.type);
    this.#sockets.send(peer, { ...command, id });
    return reply;
  }

  /** Closes every socket (1001) and stops the heartbeat. */
  async close(): Promise<void> {
    this.#pending.fail(undefined, 'the control channel is closing');
    this.#receivers.close();
    await this.#sockets.close();
  }

  #drop(peer: Peer): void {
    const device = peer.role === 'receiver' ? this.#receivers.remove(peer) : undefined;
    if (device === undefined) return;
    // A browser target ends with its page: nothing of it is kept for later subscribers.
    if (this.#receivers.selfNamed(device)) this.#history.drop(device);
    // Its unanswered commands fail now, not at their deadline.
    this.#pending.fail(device, `the receiver of ${device} went away`);
    this.emit('receiver-down', device);
  }

  #onText(peer: Peer, text: string): void {
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

  #hello(peer: Peer, message: HelloMessage): void {
    if (this.#options.tokenOverTlsOnly && !peer.encrypted && !peer.trusted && tokensMatch(message.token, this.#options.token)) {
      return peer.socket.close(CLOSE_CODES.unauthorized, 'the token must not cross the network in clear: connect with wss://');
    }
    let secret: string | undefined;
    if (message.role === 'receiver') {
      const admission = this.#receivers.admit(peer, message);
      if (!admission.ok) return peer.socket.close(admission.code, admission.reason);
      peer.device = admission.device;
      secret = admission.secret;
      admission.replaced?.socket.close(CLOSE_CODES.goingAway, 'replaced by the same screen reconnecting');
    } else if (!peer.trusted && !tokensMatch(message.token, this.#options.token)) {
      return peer.socket.close(CLOSE_CODES.unauthorized, 'wrong or expired token');
    }
    this.#sockets.welcomed(peer);
    peer.role = message.role;
    // Random per socket unless the controller names itself: ids never meet another controller's.
    peer.requester = message.client === undefined ? `session:${peer.session}` : `client:${message.client}`;
    if (peer.device !== undefined) this.emit('receiver-up', peer.device, message.name);
    this.#sockets.send(peer, {
      type: 'welcome',
      ...(message.id ? { id: message.id } : {}),
      session: peer.session,
      heartbeatMs: this.#heartbeatMs,
      name: this.#options.name ?? 'NasCast',
      ...(peer.device ? { device: peer.device } : {}),
      ...(secret ? { secret } : {}),
    });
  }

  #fromReceiver(peer: Peer, message: Exclude<ReceiverMessage, { type: 'hello' }>): void {
    const device = peer.device!;
    // Its token ran out: the session ends (the socket is being closed), and nothing more is taken from it.
    if (this.#receivers.expired(peer)) return peer.socket.close(CLOSE_CODES.unauthorized, 'the receiver token expired');
    if (message.type === 'status') {
      return this.publishStatus(device, withoutEnvelope(message) as ControlStatus);
    }
    if (message.type === 'ping') return this.#ok(peer, message.id);
    if (message.type === 'ok') return this.#pending.settle(message.id, { result: message.result });
    if (message.type === 'error') {
      const code = message.code === 'LOAD_FAILED' || message.code === 'BAD_REQUEST' ? message.code : 'LOAD_FAILED';
      return this.#pending.settle(message.id, { error: new ControlError(code, message.message) });
    }
  }

  async #fromController(peer: Peer, message: ControllerRequest): Promise<void> {
    switch (message.type) {
      case 'subscribe': {
        const device = this.#deviceKey(message.device);
        if (!peer.rooms.has(device) && peer.rooms.size >= (this.#options.maxSubscriptions ?? 256)) {
          return this.#error(peer, message.id, 'BAD_REQUEST', `subscribe: at most ${this.#options.maxSubscriptions ?? 256} devices per connection`);
        }
        peer.rooms.add(device);
        this.#ok(peer, message.id);
        for (const event of this.#history.of(device)) this.#sockets.send(peer, { ...event, replay: true });
        return;
      }
      case 'unsubscribe':
        peer.rooms.delete(this.#deviceKey(message.device));
        return this.#ok(peer, message.id);
      case 'ping':
        return this.#ok(peer, message.id);
      case 'status':
        try {
          return this.#ok(peer, message.id, this.#history.lastStatus(this.#deviceKey(message.device)));
        } catch (error) {
          return this.#sockets.send(peer, this.#errorReply(message, error));
        }
    }
    // A client resends what was unanswered when its socket dropped; the same id from the
    // same client is carried out once.
    const key = message.id === undefined ? undefined : `${peer.requester ?? ''}\n${message.id}`;
    // A waiter whose socket closed is skipped by sendFrame; its next socket asks again and gets the kept reply.
    await this.#once.run(key, peer, async () => {
      try {
        const result = await this.#options.handler.handle(message);
        return { type: 'ok', ...(message.id ? { id: message.id } : {}), ...(result ? { result } : {}) };
      } catch (error) {
        return this.#errorReply(message, error);
      }
    }, (waiter, reply) => this.#sockets.send(waiter, reply));
  }

  /** The `error` reply for what a request threw, coded by the error table; internal failures are logged, not told. */
  #errorReply(message: ControllerRequest, error: unknown): Record<string, unknown> {
    const id = message.id ? { id: message.id } : {};
    const code = controlCodeOf(error);
    if (code !== 'INTERNAL' || error instanceof ControlError) return { type: 'error', ...id, code, message: errorMessage(error) };
    this.#logger.error(`control request ${message.type} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { type: 'error', ...id, code: 'INTERNAL', message: 'the request failed; the server log says why' };
  }

  /** A device named by id or name, as rooms and history know it; unknown names stay as they are (it may come later). */
  #deviceKey(device: string): string {
    return this.#options.handler.deviceKey?.(device) ?? device;
  }

  #toRoom(device: string, event: Record<string, unknown>): void {
    this.#history.add(device, event);
    // Serialised once for the whole room (1,000 subscribers must not mean 1,000 stringify
    // calls), and not at all for a room nobody follows: a page reports every second.
    let frame: string | undefined;
    for (const peer of this.#sockets.peers) {
      if (!peer.rooms.has(device)) continue;
      frame ??= JSON.stringify({ v: PROTOCOL_VERSION, ...event });
      this.#sockets.sendFrame(peer, frame);
    }
  }

  #ok(peer: Peer, id: string | undefined, result?: Record<string, unknown>): void {
    this.#sockets.send(peer, { type: 'ok', ...(id ? { id } : {}), ...(result ? { result } : {}) });
  }

  #error(peer: Peer, id: string | undefined, code: ControlErrorCode, message: string): void {
    this.#sockets.send(peer, { type: 'error', ...(id ? { id } : {}), code, message });
  }
}
