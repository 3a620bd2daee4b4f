import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Logger } from '../logger.ts';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../protocol/index.ts';
import { TokenBucket } from './token-bucket.ts';

/** One control socket, as the message rules see it. */
export interface Peer {
  readonly socket: WebSocket;
  readonly session: string;
  /** Set by a good `hello`. */
  role?: 'receiver' | 'controller';
  /** The device a receiver speaks for. */
  device?: string;
  /** The devices whose status a controller follows. */
  readonly rooms: Set<string>;
  /** Who request ids belong to: the controller's `client` from its hello, else this socket's session. */
  requester?: string;
  /**
   * It came through a trusted listener (the local socket in the storage folder, mode
   * 0600, whose file permissions are the authentication): a controller needs no token.
   */
  readonly trusted: boolean;
  /** It came over TLS (`wss://`). */
  readonly encrypted: boolean;
}

/** Options of {@link ControlSockets}: its limits, and where frames and closes go. */
export interface ControlSocketsOptions {
  heartbeatMs: number;
  helloTimeoutMs: number;
  maxPayload: number;
  ratePerSecond: number;
  maxBufferedBytes: number;
  logger: Logger;
  /** A JSON text frame from a peer, within its rate. */
  onText(peer: Peer, text: string): void;
  /** A peer's socket closed. */
  onClose(peer: Peer): void;
}

// What only the socket layer keeps of a peer.
interface Liveness {
  missedPongs: number;
  readonly rate: TokenBucket;
  helloTimer: NodeJS.Timeout;
}

/**
 * The socket layer of the control channel (ws with `noServer`, on the media server's
 * port at `/control`): the upgrade, the hello deadline, heartbeats that drop a socket
 * missing two pongs, the per-socket rate limit (a token bucket), binary frames
 * refused, and slow readers closed once their unsent data passes the bound. It knows
 * no message but how to frame one.
 */
export class ControlSockets {
  readonly #options: ControlSocketsOptions;
  readonly #wss: WebSocketServer;
  readonly #peers = new Map<Peer, Liveness>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(options: ControlSocketsOptions) {
    this.#options = options;
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload, perMessageDeflate: false });
    this.#wss.on('error', (error) => options.logger.warn(`control channel: ${error.message}`));
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs);
  }

  /** Every open socket. */
  get peers(): IterableIterator<Peer> {
    return this.#peers.keys();
  }

  get size(): number {
    return this.#peers.size;
  }

  /** Routes `/control` upgrades of `server` here; other upgrade paths get 404. */
  attach(server: Server, options: { trusted?: boolean } = {}): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(request, socket, head, options));
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, options: { trusted?: boolean } = {}): void {
    socket.on('error', () => {}); // a reset during the handshake is the client's business
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/control') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const encrypted = (request.socket as Partial<TLSSocket>).encrypted === true;
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, options.trusted === true, encrypted));
  }

  /** The peer said a good `hello`: its deadline no longer applies. */
  welcomed(peer: Peer): void {
    clearTimeout(this.#peers.get(peer)?.helloTimer);
  }

  /** Sends a message (the envelope's `v` added). */
  send(peer: Peer, message: Record<string, unknown>): void {
    this.sendFrame(peer, JSON.stringify({ v: PROTOCOL_VERSION, ...message }));
  }

  /** Sends a serialised frame, unless the socket is closed; a reader too slow for it is closed instead. */
  sendFrame(peer: Peer, frame: string): void {
    if (peer.socket.readyState !== WebSocket.OPEN) return;
    if (peer.socket.bufferedAmount > this.#options.maxBufferedBytes) {
      peer.socket.close(CLOSE_CODES.slowConsumer, 'reading too slowly');
      // A reader that stalls may not read the close frame either.
      setTimeout(() => peer.socket.terminate(), 1000).unref();
      return;
    }
    peer.socket.send(frame);
  }

  /** Closes every socket (1001) and stops the heartbeat. */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    for (const peer of this.#peers.keys()) peer.socket.close(CLOSE_CODES.goingAway, 'server stopping');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    for (const peer of this.#peers.keys()) peer.socket.terminate();
  }

  #accept(socket: WebSocket, trusted: boolean, encrypted: boolean): void {
    const peer: Peer = { socket, session: randomUUID(), rooms: new Set(), trusted, encrypted };
    const liveness: Liveness = {
      missedPongs: 0,
      rate: new TokenBucket(this.#options.ratePerSecond),
      helloTimer: setTimeout(() => socket.close(CLOSE_CODES.helloTimeout, 'no hello in time'), this.#options.helloTimeoutMs),
    };
    this.#peers.set(peer, liveness);
    socket.on('error', (error) => this.#options.logger.debug(`control socket ${peer.session}: ${error.message}`));
    socket.on('pong', () => (liveness.missedPongs = 0));
    socket.on('close', () => {
      clearTimeout(liveness.helloTimer);
      this.#peers.delete(peer);
      this.#options.onClose(peer);
    });
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (!this.#withinRate(peer, liveness)) return;
      if (isBinary) return peer.socket.close(CLOSE_CODES.invalidPayload, 'frames must be JSON text');
      this.#options.onText(peer, rawToString(data));
    });
  }

  // Counted as each frame is parsed off the socket, before anything else is done with it.
  #withinRate(peer: Peer, liveness: Liveness): boolean {
    if (liveness.rate.take()) return true;
    if (peer.socket.readyState === WebSocket.OPEN) peer.socket.close(CLOSE_CODES.rateLimited, 'too many messages');
    return false;
  }

  #beat(): void {
    for (const [peer, liveness] of this.#peers) {
      if (liveness.missedPongs >= 2) {
        this.#options.logger.debug(`control socket ${peer.session} missed two pongs: terminated`);
        peer.socket.terminate();
        continue;
      }
      liveness.missedPongs++;
      if (peer.socket.readyState === WebSocket.OPEN) peer.socket.ping();
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
