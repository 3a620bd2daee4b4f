import type { TLSSocket } from 'node:tls';
import castv2 from 'castv2';
import { NS, PLATFORM_RECEIVER } from '../cast/namespaces.ts';
import { protocolReady } from '../cast/protocol-ready.ts';
import type { Logger } from '../logger.ts';
import { selfSignedCertificate } from './certificate.ts';
import { errorMessage } from '../errors.ts';

type Json = Record<string, unknown>;

/** How to build a {@link CastServer}, and where it hands what it does not answer itself. */
export interface CastServerOptions {
  host: string;
  /** 0 picks a free port on the first listen; the port found is kept for later ones. */
  port: number;
  /** Interval of the device's own PINGs to senders. */
  heartbeatIntervalMs: number;
  /** A socket that sends no PING or PONG for this long is dropped. */
  senderTimeoutMs: number;
  logger: Logger;
  /** Whether a CONNECT to `destinationId` opens a virtual connection (`receiver-0`, a running app's transport). */
  accepts: (destinationId: string) => boolean;
  /** A sender connected over TLS (`clientId` is its `address:port`). */
  onConnection: (clientId: string) => void;
  /** A JSON message on an open virtual connection, on any namespace but connection and heartbeat; a throw is logged, never fatal. */
  onMessage: (clientId: string, sourceId: string, destinationId: string, namespace: string, message: Json) => void;
}

/**
 * The transport side of a simulated Chromecast: castv2 over TLS (castv2's own
 * `Server`), the senders' sockets and virtual connections, the connection and
 * heartbeat namespaces, and the faults that act on them (dropped sockets, a hang).
 *
 * As openscreen's VirtualConnectionRouter does, a message on a virtual connection
 * the sender has not opened with CONNECT is dropped without a word; only the
 * transport namespaces (`urn:x-cast:com.google.cast.tp.*`) pass without one.
 */
export class CastServer {
  readonly #host: string;
  readonly #heartbeatMs: number;
  readonly #senderTimeoutMs: number;
  readonly #logger: Logger;
  readonly #accepts: CastServerOptions['accepts'];
  readonly #onConnection: CastServerOptions['onConnection'];
  readonly #onMessage: CastServerOptions['onMessage'];
  #port: number;
  #server: castv2.Server | undefined;
  #tls: { key: string; cert: string } | undefined;
  readonly #sockets = new Map<string, TLSSocket>();
  /** Virtual connections: client id → `source id → destination ids` it has CONNECTed. */
  readonly #connections = new Map<string, VirtualConnections>();
  /** When each socket last sent a PING or a PONG (or connected). */
  readonly #heard = new Map<string, number>();
  #hung = false;
  #pingTimer: NodeJS.Timeout | undefined;
  #lastPing = 0;

  constructor(options: CastServerOptions) {
    this.#host = options.host;
    this.#port = options.port;
    this.#heartbeatMs = options.heartbeatIntervalMs;
    this.#senderTimeoutMs = options.senderTimeoutMs;
    this.#logger = options.logger;
    this.#accepts = options.accepts;
    this.#onConnection = options.onConnection;
    this.#onMessage = options.onMessage;
  }

  /** The port listened on (known once listening; kept across `restart()`). */
  get port(): number {
    return this.#port;
  }

  get host(): string {
    return this.#host;
  }

  /** Open sockets (a closed one counts until its last message is handled). */
  get connectionCount(): number {
    return this.#sockets.size;
  }

  /**
   * Listens (once castv2's protobufs are ready) with a self-signed certificate for
   * `commonName`, made on the first call and kept after.
   */
  async listen(commonName: string): Promise<void> {
    await protocolReady();
    this.#tls ??= await selfSignedCertificate(commonName);
    await this.#listen(this.#tls);
  }

  /**
   * Starts the device's own PINGs to every sender with a virtual connection, and
   * drops the sockets whose heartbeat has stopped.
   */
  startHeartbeat(): void {
    const tick = Math.max(10, Math.min(this.#heartbeatMs, this.#senderTimeoutMs / 4));
    this.#pingTimer = setInterval(() => this.#heartbeat(), tick);
    this.#pingTimer.unref();
  }

  stopHeartbeat(): void {
    clearInterval(this.#pingTimer);
  }

  /** Drops every socket and virtual connection and closes the port. */
  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
    for (const socket of this.#sockets.values()) socket.destroy();
    this.#sockets.clear();
    this.#connections.clear();
    this.#heard.clear();
    await closed;
  }

  /** Fault: closes, forgets a hang, and listens again on the same port. */
  async restart(): Promise<void> {
    await this.close();
    this.#hung = false;
    await this.#listen(this.#tls!);
  }

  /** Fault: drops every sender's socket at once. */
  dropSockets(): void {
    for (const socket of this.#sockets.values()) socket.destroy();
  }

  /** Fault: ignores every message and sends no PINGs until `resume()`. The sockets stay open. */
  hang(): void {
    this.#hung = true;
  }

  /** Ends a hang; the senders' heartbeats count from now, as the device was deaf meanwhile. */
  resume(): void {
    this.#hung = false;
    const now = Date.now();
    for (const clientId of this.#heard.keys()) this.#heard.set(clientId, now);
  }

  /** A send to a client that has gone away is dropped, never thrown. */
  send(clientId: string, sourceId: string, destinationId: string, namespace: string, payload: unknown): void {
    const socket = this.#sockets.get(clientId);
    if (!this.#server || !socket || socket.destroyed || !socket.writable) return;
    try {
      this.#server.send(clientId, sourceId, destinationId, namespace, JSON.stringify(payload));
    } catch (error) {
      this.#logger.debug(`simulator send to ${clientId} failed: ${errorMessage(error)}`);
    }
  }

  /** Sends to every client connected to `sourceId`, addressed to `*`, as devices broadcast. */
  broadcast(sourceId: string, namespace: string, payload: Json): void {
    for (const [clientId, connections] of this.#connections) {
      if ([...connections.values()].some((destinations) => destinations.has(sourceId))) this.send(clientId, sourceId, '*', namespace, payload);
    }
  }

  /** Whether `senderId` on `clientId` has opened a virtual connection to `destinationId`. */
  isConnected(clientId: string, senderId: string, destinationId: string): boolean {
    return this.#connections.get(clientId)?.get(senderId)?.has(destinationId) ?? false;
  }

  /** Ends every virtual connection to `destinationId`, telling each sender with a CLOSE from it. */
  closeConnectionsTo(destinationId: string): void {
    for (const [clientId, connections] of this.#connections) {
      for (const [senderId, destinations] of connections) {
        if (destinations.delete(destinationId)) this.send(clientId, destinationId, senderId, NS.connection, { type: 'CLOSE' });
      }
    }
  }

  async #listen(tls: { key: string; cert: string }): Promise<void> {
    const server = new castv2.Server({ key: tls.key, cert: tls.cert });
    this.#server = server;
    let listening = false;
    // A failed listen rejects below; only later errors are worth a warning.
    server.on('error', (error) => listening && this.#logger.warn(`simulator server error: ${error.message}`));
    server.server.on('tlsClientError', (error) => this.#logger.debug(`simulator TLS handshake failed: ${error.message}`));
    server.server.on('secureConnection', (socket: TLSSocket) => {
      const clientId = `${socket.remoteAddress}:${socket.remotePort}`;
      // castv2 listens for nothing but `close`: an ECONNRESET would crash the process.
      socket.on('error', (error: Error) => this.#logger.debug(`simulator socket ${clientId}: ${error.message}`));
      this.#sockets.set(clientId, socket);
      this.#heard.set(clientId, Date.now());
      socket.once('close', () => {
        this.#sockets.delete(clientId);
        this.#connections.delete(clientId);
        this.#heard.delete(clientId);
      });
      this.#onConnection(clientId);
    });
    server.on('message', (clientId, sourceId, destinationId, namespace, data) => {
      if (this.#hung) return;
      try {
        this.#dispatch(clientId, sourceId, destinationId, namespace, data);
      } catch (error) {
        this.#logger.warn(`simulator could not handle a ${namespace} message: ${errorMessage(error)}`);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.#port, this.#host, () => {
        listening = true;
        server.server.off('error', reject);
        this.#port = (server.server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  #dispatch(clientId: string, sourceId: string, destinationId: string, namespace: string, data: string | Buffer): void {
    if (typeof data !== 'string') return; // no binary namespaces here
    const message = JSON.parse(data) as Json;
    switch (namespace) {
      case NS.connection:
        if (message.type === 'CONNECT') this.#connect(clientId, sourceId, destinationId);
        else if (message.type === 'CLOSE') this.#connections.get(clientId)?.get(sourceId)?.delete(destinationId);
        return;
      case NS.heartbeat:
        if (message.type === 'PING' || message.type === 'PONG') this.#heard.set(clientId, Date.now());
        if (message.type === 'PING') this.send(clientId, destinationId, sourceId, namespace, { type: 'PONG' });
        return;
      default:
        // Not on an open virtual connection: dropped, as a device does (no reply, no error).
        if (!this.isConnected(clientId, sourceId, destinationId)) return;
        this.#onMessage(clientId, sourceId, destinationId, namespace, message);
    }
  }

  /** A CONNECT to an endpoint that is not there (an app's old transport) is answered with CLOSE, as openscreen does. */
  #connect(clientId: string, sourceId: string, destinationId: string): void {
    if (!this.#accepts(destinationId)) return this.send(clientId, destinationId, sourceId, NS.connection, { type: 'CLOSE' });
    let connections = this.#connections.get(clientId);
    if (!connections) this.#connections.set(clientId, (connections = new Map<string, Set<string>>()));
    let destinations = connections.get(sourceId);
    if (!destinations) connections.set(sourceId, (destinations = new Set()));
    destinations.add(destinationId);
  }

  /**
   * PINGs every sender with a virtual connection to the platform (as `sender-0` unless
   * it connected under another id), every interval; drops a socket that has sent
   * neither PING nor PONG within the sender timeout, as a device closes a dead sender.
   */
  #heartbeat(): void {
    if (this.#hung) return;
    const now = Date.now();
    for (const [clientId, heard] of this.#heard) {
      if (now - heard <= this.#senderTimeoutMs) continue;
      this.#logger.debug(`simulator drops ${clientId}: no PING or PONG for ${this.#senderTimeoutMs} ms`);
      this.#heard.delete(clientId);
      this.#sockets.get(clientId)?.destroy();
    }
    if (now - this.#lastPing < this.#heartbeatMs) return;
    this.#lastPing = now;
    for (const [clientId, connections] of this.#connections) {
      const platform = [...connections].find(([, destinations]) => destinations.has(PLATFORM_RECEIVER));
      if (platform) this.send(clientId, PLATFORM_RECEIVER, platform[0], NS.heartbeat, { type: 'PING' });
    }
  }
}

/** One socket's virtual connections: sender id → the destination ids it has CONNECTed to. */
type VirtualConnections = Map<string, Set<string>>;
