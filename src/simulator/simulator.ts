import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { TLSSocket } from 'node:tls';
import castv2 from 'castv2';
import { DEFAULT_MEDIA_RECEIVER, NS, PLATFORM_RECEIVER } from '../cast/namespaces.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { CastAdvertiser, type CastTxt } from './advertiser.ts';
import { selfSignedCertificate } from './certificate.ts';
import { protocolReady } from '../cast/protocol-ready.ts';
import { ReceiverBrowser, type ReceiverPage } from './receiver-browser.ts';
import { RunningApp } from './running-app.ts';
import { errorMessage } from '../errors.ts';

/** How to build a simulated Chromecast. */
export interface SimulatorOptions {
  /** Friendly name (`fn`). Default `NasCast Simulator`. */
  name?: string;
  /** TCP port of the castv2 server; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Device id (`id` in TXT, 32 hex digits). Default: random. */
  id?: string;
  /** A Cast group (`md: Google Cast Group`) rather than a device. */
  group?: boolean;
  /** Advertise over mDNS (default true). */
  advertise?: boolean;
  /** The interface address mDNS uses. */
  mdnsInterface?: string;
  /** App ids whose LAUNCH is refused with `NOT_FOUND` (and reported unavailable). */
  refuseApps?: readonly string[];
  /** Interval of the device's own PINGs to senders. Default 5000 ms. */
  heartbeatIntervalMs?: number;
  /**
   * Receiver apps the device can run, as app id → the receiver page's URL (what the
   * Cast developer console registers for an app id). Launching one opens the page in
   * headless Chromium with a stand-in for `cast.framework`, and relays the app's custom
   * namespaces to it. Needs playwright-core and Chromium.
   */
  receiverApps?: Readonly<Record<string, string>>;
  /** Chromium for receiver apps. Default `/usr/bin/chromium`. */
  chromiumPath?: string;
  /** How long a receiver page may take to start CAF before its LAUNCH fails. Default 20000 ms. */
  appStartTimeoutMs?: number;
  logger?: Logger;
}

/** A custom-namespace message from a sender to the running app. */
export interface AppMessage {
  readonly appId: string;
  readonly namespace: string;
  readonly senderId: string;
  readonly data: unknown;
  /** Answers the sender on the same namespace. */
  reply(data: unknown): void;
}

/** Events of {@link ChromecastSimulator}. */
export interface SimulatorEvents {
  /** An app was launched (`appId`). */
  launch: [appId: string];
  /** A message on a custom namespace reached the running app. */
  'app-message': [message: AppMessage];
  /** A sender connected over TLS. */
  connection: [remote: string];
  /** The Default Media Receiver's MEDIA_STATUS entry changed (as broadcast; `undefined` once nothing is loaded). */
  'media-status': [status: Json | undefined];
}

type Json = Record<string, unknown>;

/**
 * A Chromecast at the protocol level: castv2 over TLS (castv2's own `Server`),
 * the connection, heartbeat, receiver and media namespaces, the Default Media
 * Receiver with a playback clock, and an mDNS advertisement. Faults on demand let
 * tests see how senders cope with a device that drops, hangs or reboots.
 */
export class ChromecastSimulator extends EventEmitter<SimulatorEvents> {
  readonly id: string;
  readonly isGroup: boolean;
  readonly model: string;
  readonly #host: string;
  readonly #refused: Set<string>;
  readonly #heartbeatMs: number;
  readonly #logger: Logger;
  readonly #advertise: boolean;
  readonly #mdnsInterface: string | undefined;
  readonly #receiverApps: ReadonlyMap<string, string>;
  readonly #chromiumPath: string | undefined;
  readonly #appStartTimeoutMs: number;
  #browser: ReceiverBrowser | undefined;
  #name: string;
  #port: number;
  #server: castv2.Server | undefined;
  #tls: { key: string; cert: string } | undefined;
  #advertiser: CastAdvertiser | undefined;
  readonly #sockets = new Map<string, TLSSocket>();
  /** Virtual connections: client id → the destination ids it has CONNECTed to. */
  readonly #connections = new Map<string, Set<string>>();
  #hung = false;
  #pingTimer: NodeJS.Timeout | undefined;
  #volume = { level: 0.5, muted: false };
  #app: RunningApp | undefined;
  #nextLoadFailure: string | undefined;

  constructor(options: SimulatorOptions = {}) {
    super();
    this.id = options.id ?? randomBytes(16).toString('hex');
    this.isGroup = options.group ?? false;
    this.model = this.isGroup ? 'Google Cast Group' : 'Chromecast';
    this.#name = options.name ?? 'NasCast Simulator';
    this.#port = options.port ?? 0;
    this.#host = options.host ?? '127.0.0.1';
    this.#refused = new Set(options.refuseApps ?? []);
    this.#heartbeatMs = options.heartbeatIntervalMs ?? 5000;
    this.#logger = options.logger ?? silentLogger;
    this.#advertise = options.advertise ?? true;
    this.#mdnsInterface = options.mdnsInterface;
    this.#receiverApps = new Map(Object.entries(options.receiverApps ?? {}));
    this.#chromiumPath = options.chromiumPath;
    this.#appStartTimeoutMs = options.appStartTimeoutMs ?? 20_000;
  }

  get name(): string {
    return this.#name;
  }

  /** The castv2 port (known once started; kept across `restart()`). */
  get port(): number {
    return this.#port;
  }

  get host(): string {
    return this.#host;
  }

  /** How many senders are connected now (a closed connection counts once its last message is handled). */
  get connectionCount(): number {
    return this.#sockets.size;
  }

  /** The running app's id, if any. */
  get runningApp(): string | undefined {
    return this.#app?.appId;
  }

  /** The running receiver app's page in Chromium, if a receiver app runs (see {@link SimulatorOptions.receiverApps}). */
  get receiverPage(): ReceiverPage | undefined {
    return this.#app?.page;
  }

  get volume(): { level: number; muted: boolean } {
    return { ...this.#volume };
  }

  /** The Default Media Receiver's MEDIA_STATUS entry, if it is running and has media. */
  mediaStatus(): Json | undefined {
    return this.#app?.playback?.status()[0] as Json | undefined;
  }

  /** Starts the TLS server (once castv2's protobufs are ready) and the advertisement. */
  async start(): Promise<void> {
    await protocolReady();
    this.#tls ??= await selfSignedCertificate(this.#name);
    await this.#listen();
    if (this.#advertise) {
      this.#advertiser = new CastAdvertiser({ logger: this.#logger, ...(this.#mdnsInterface ? { interface: this.#mdnsInterface } : {}) });
      this.#advertiser.publish(`${this.isGroup ? 'Google-Cast-Group' : 'Chromecast'}-${this.id}`, this.#port, this.#txt());
    }
    this.#pingTimer = setInterval(() => this.#pingSenders(), this.#heartbeatMs);
    this.#pingTimer.unref();
  }

  /** Stops everything: sockets, server, advertisement (with an mDNS goodbye), timers. */
  async stop(): Promise<void> {
    clearInterval(this.#pingTimer);
    this.#app?.close();
    this.#app = undefined;
    await this.#browser?.close();
    this.#browser = undefined;
    await this.#closeServer();
    await this.#advertiser?.close();
    this.#advertiser = undefined;
  }

  /** Renames the device; the new `fn` goes out in a fresh TXT record. */
  rename(name: string): void {
    this.#name = name;
    this.#advertiser?.updateTxt(this.#txt());
  }

  /** Fault: drops every sender's socket at once, as a Wi-Fi blip does. */
  disconnect(): void {
    for (const socket of this.#sockets.values()) socket.destroy();
  }

  /** Fault: stops answering PINGs and requests until `resume()`. The sockets stay open. */
  hang(): void {
    this.#hung = true;
  }

  resume(): void {
    this.#hung = false;
  }

  /** Fault: goes away (sockets dropped, port closed) and comes back on the same port; the running app survives. */
  async restart(): Promise<void> {
    await this.#closeServer();
    this.#hung = false;
    await this.#listen();
  }

  /** Fault: refuse LAUNCH of `appId` with `NOT_FOUND` from now on. */
  refuseLaunch(appId: string): void {
    this.#refused.add(appId);
  }

  /** Fault: the next item load (LOAD, a queue move, or the queue moving on by itself) fails with this reason. */
  failNextLoad(reason = 'SIMULATED_FAILURE'): void {
    this.#nextLoadFailure = reason;
  }

  async #listen(): Promise<void> {
    const server = new castv2.Server({ key: this.#tls!.key, cert: this.#tls!.cert });
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
      socket.once('close', () => {
        this.#sockets.delete(clientId);
        this.#connections.delete(clientId);
      });
      this.emit('connection', clientId);
    });
    server.on('message', (clientId, sourceId, destinationId, namespace, data) => {
      if (this.#hung) return;
      try {
        this.#onMessage(clientId, sourceId, destinationId, namespace, data);
      } catch (error) {
        this.#logger.warn(`simulator could not handle a ${namespace} message: ${(error as Error).message}`);
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

  async #closeServer(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
    for (const socket of this.#sockets.values()) socket.destroy();
    this.#sockets.clear();
    this.#connections.clear();
    await closed;
  }

  #onMessage(clientId: string, sourceId: string, destinationId: string, namespace: string, data: string | Buffer): void {
    if (typeof data !== 'string') return; // no binary namespaces here
    const message = JSON.parse(data) as Json;
    const reply = (payload: Json): void => this.#send(clientId, destinationId, sourceId, namespace, payload);
    switch (namespace) {
      case NS.connection:
        if (message.type === 'CONNECT') this.#connect(clientId, destinationId);
        else if (message.type === 'CLOSE') this.#connections.get(clientId)?.delete(destinationId);
        return;
      case NS.heartbeat:
        if (message.type === 'PING') reply({ type: 'PONG' });
        return;
      case NS.receiver:
        if (destinationId === PLATFORM_RECEIVER) this.#onReceiver(message, reply);
        return;
      default:
        this.#app?.onMessage(clientId, sourceId, destinationId, namespace, message);
    }
  }

  #connect(clientId: string, destinationId: string): void {
    let destinations = this.#connections.get(clientId);
    if (!destinations) this.#connections.set(clientId, (destinations = new Set()));
    destinations.add(destinationId);
  }

  #onReceiver(message: Json, reply: (payload: Json) => void): void {
    const requestId = typeof message.requestId === 'number' ? message.requestId : 0;
    switch (message.type) {
      case 'GET_STATUS':
        return reply({ type: 'RECEIVER_STATUS', requestId, status: this.#receiverStatus() });
      case 'GET_APP_AVAILABILITY': {
        const ids = Array.isArray(message.appId) ? (message.appId as unknown[]).filter((id) => typeof id === 'string') : [];
        const availability = Object.fromEntries(ids.map((id) => [id, this.#refused.has(id) ? 'APP_UNAVAILABLE' : 'APP_AVAILABLE']));
        return reply({ type: 'GET_APP_AVAILABILITY', requestId, availability });
      }
      case 'LAUNCH': {
        const appId = message.appId;
        if (typeof appId !== 'string' || appId === '') return reply({ type: 'INVALID_REQUEST', requestId, reason: 'INVALID_COMMAND' });
        if (this.#refused.has(appId)) return reply({ type: 'LAUNCH_ERROR', requestId, reason: 'NOT_FOUND' });
        if (this.#app?.appId !== appId) {
          const url = this.#receiverApps.get(appId);
          // A receiver page answers the LAUNCH once it has started CAF, as a device does.
          if (url) return void this.#launchPage(appId, url, requestId, reply);
          this.#launch(appId);
        }
        return this.#broadcastReceiverStatus(requestId);
      }
      case 'STOP':
        if (this.#app && (message.sessionId === undefined || message.sessionId === this.#app.sessionId)) this.#stopApp();
        return this.#broadcastReceiverStatus(requestId);
      case 'SET_VOLUME': {
        const volume = (message.volume ?? {}) as Json;
        if (typeof volume.level === 'number') this.#volume.level = Math.min(1, Math.max(0, volume.level));
        if (typeof volume.muted === 'boolean') this.#volume.muted = volume.muted;
        this.#broadcastReceiverStatus(requestId);
        this.#app?.volumeChanged();
        return;
      }
      default:
        return reply({ type: 'INVALID_REQUEST', requestId, reason: 'INVALID_COMMAND' });
    }
  }

  async #launchPage(appId: string, url: string, requestId: number, reply: (payload: Json) => void): Promise<void> {
    const app = this.#launch(appId);
    this.#browser ??= new ReceiverBrowser({ logger: this.#logger, ...(this.#chromiumPath ? { executablePath: this.#chromiumPath } : {}) });
    try {
      const page = await this.#browser.open(url, { toSender: (namespace, senderId, data) => app.sendToSender(namespace, senderId, data) }, this.#appStartTimeoutMs);
      if (this.#app !== app) {
        await page.close(); // stopped or replaced while starting
        return;
      }
      app.attachPage(page);
      this.#broadcastReceiverStatus(requestId);
    } catch (error) {
      const why = errorMessage(error);
      this.#logger.warn(`simulator could not run receiver app ${appId} (${url}): ${why}`);
      if (this.#app === app) this.#stopApp();
      reply({ type: 'LAUNCH_ERROR', requestId, reason: /within \d+ ms/.test(why) ? 'CAST_INIT_TIMEOUT' : 'NOT_FOUND' });
    }
  }

  #launch(appId: string): RunningApp {
    this.#stopApp();
    const app = new RunningApp({
      appId,
      sessionId: randomUUID(),
      transportId: `web-${randomBytes(4).toString('hex')}`,
      defaultMediaReceiver: appId === DEFAULT_MEDIA_RECEIVER,
      volume: () => ({ ...this.#volume }),
      send: (clientId, sourceId, destinationId, namespace, payload) => this.#send(clientId, sourceId, destinationId, namespace, payload),
      broadcast: (sourceId, namespace, payload) => {
        this.#broadcast(sourceId, namespace, payload);
        if (namespace === NS.media) this.emit('media-status', this.mediaStatus());
      },
      takeLoadFailure: () => {
        const reason = this.#nextLoadFailure;
        this.#nextLoadFailure = undefined;
        return reason;
      },
      appMessage: (message) => {
        this.emit('app-message', message);
        app.page?.deliver(message.namespace, message.senderId, message.data).catch((error: unknown) => {
          this.#logger.debug(`simulator could not hand a ${message.namespace} message to the receiver page: ${String(error)}`);
        });
      },
    });
    this.#app = app;
    this.emit('launch', appId);
    this.#advertiser?.updateTxt(this.#txt());
    return app;
  }

  #stopApp(): void {
    const app = this.#app;
    if (!app) return;
    this.#app = undefined;
    app.close();
    // Senders joined to the app hear it close, as on a device.
    for (const [clientId, destinations] of this.#connections) {
      if (destinations.delete(app.transportId)) this.#send(clientId, app.transportId, '*', NS.connection, { type: 'CLOSE' });
    }
    this.#advertiser?.updateTxt(this.#txt());
  }

  #receiverStatus(): Json {
    return {
      applications: this.#app ? [this.#app.describe()] : [],
      volume: { ...this.#volume, controlType: 'attenuation', stepInterval: 0.05 },
      isActiveInput: true,
      isStandBy: false,
    };
  }

  #broadcastReceiverStatus(requestId: number): void {
    this.#broadcast(PLATFORM_RECEIVER, NS.receiver, { type: 'RECEIVER_STATUS', requestId, status: this.#receiverStatus() });
  }

  /** Sends to every client connected to `sourceId`, addressed to `*`, as devices broadcast. */
  #broadcast(sourceId: string, namespace: string, payload: Json): void {
    for (const [clientId, destinations] of this.#connections) {
      if (destinations.has(sourceId)) this.#send(clientId, sourceId, '*', namespace, payload);
    }
  }

  /** A send to a client that has gone away is dropped, never thrown. */
  #send(clientId: string, sourceId: string, destinationId: string, namespace: string, payload: unknown): void {
    const socket = this.#sockets.get(clientId);
    if (!this.#server || !socket || socket.destroyed || !socket.writable) return;
    try {
      this.#server.send(clientId, sourceId, destinationId, namespace, JSON.stringify(payload));
    } catch (error) {
      this.#logger.debug(`simulator send to ${clientId} failed: ${(error as Error).message}`);
    }
  }

  #pingSenders(): void {
    if (this.#hung) return;
    for (const clientId of this.#connections.keys()) this.#send(clientId, PLATFORM_RECEIVER, 'sender-0', NS.heartbeat, { type: 'PING' });
  }

  #txt(): CastTxt {
    return {
      id: this.id,
      cd: this.id.toUpperCase(),
      rm: '',
      ve: '05',
      md: this.model,
      ic: '/setup/icon.png',
      fn: this.#name,
      ca: this.isGroup ? '199204' : '201221',
      st: this.#app ? '1' : '0',
      bs: 'FA8FCA000000',
      nf: '1',
      rs: this.#app?.statusText ?? '',
    };
  }
}
