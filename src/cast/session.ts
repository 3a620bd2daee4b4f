import { EventEmitter } from 'node:events';
import { Client } from 'castv2-client';
import type { ReceiverApplication, ReceiverStatus } from './receiver-types.ts';
import { DeviceUnavailableError, errorMessage, LaunchError } from '../errors.ts';
import { type Logger, partLogger } from '../logger.ts';
import { backoffDelay } from '../protocol/backoff.ts';
import { protocolReady } from './protocol-ready.ts';
import { JoinedApp } from './joined-app.ts';
import { requestWithDeadline } from './request.ts';

type Json = Record<string, unknown>;

/** How to reach and watch one Cast device. */
export interface CastSessionOptions {
  host: string;
  /** castv2 port: 8009 for devices; groups use another, from their SRV record. */
  port?: number;
  /** Deadline of every request. Default 5000 ms. */
  requestTimeoutMs?: number;
  /** Deadline of a LAUNCH, which waits for the app to start on the device. Default 20000 ms. */
  launchTimeoutMs?: number;
  /** PING interval. Default 5000 ms. */
  heartbeatIntervalMs?: number;
  /** With no PONG for this long the connection counts as dead and is rebuilt. Default 10000 ms. */
  pongTimeoutMs?: number;
  /** First reconnect delay (doubling, with jitter). Default 500 ms. */
  reconnectInitialMs?: number;
  /** Longest reconnect delay. Default 30000 ms. */
  reconnectMaxMs?: number;
  logger?: Logger;
}

/** Where the session stands. */
export type CastSessionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Events of {@link CastSession}. */
export interface CastSessionEvents {
  state: [state: CastSessionState];
  /** RECEIVER_STATUS from the device (apps, volume). */
  'receiver-status': [status: ReceiverStatus];
  /** A MEDIA_STATUS entry from the joined app. */
  'media-status': [status: Json];
  /** A message from the joined app on a custom namespace. */
  'app-message': [namespace: string, data: Json];
  /** The joined app stopped (another sender took the device, it was closed on the TV, or by {@link CastSession.stopApp}). */
  'app-closed': [];
  /** A lost connection is back, and the running app was re-joined if it was still there. */
  reconnected: [];
}

/**
 * One connection to one Cast device over castv2-client, made safe: every request
 * has a deadline, a heartbeat with a PONG deadline spots a hung device, and a lost
 * connection is rebuilt with backoff and re-joins the running app, keeping the
 * listeners. castv2-client's own heartbeat (15 s, no reconnect) is switched off.
 */
export class CastSession extends EventEmitter<CastSessionEvents> {
  readonly host: string;
  readonly port: number;
  readonly #requestTimeoutMs: number;
  readonly #launchTimeoutMs: number;
  readonly #heartbeatMs: number;
  readonly #pongTimeoutMs: number;
  readonly #reconnectInitialMs: number;
  readonly #reconnectMaxMs: number;
  readonly #logger: Logger;
  #state: CastSessionState = 'idle';
  #client: Client | undefined;
  #joined: JoinedApp | undefined;
  // The app joined, kept while a lost connection is rebuilt, to re-join it.
  #appInfo: ReceiverApplication | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #connecting: Promise<void> | undefined;
  #lastPong = 0;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #lastStatus: ReceiverStatus = {};

  constructor(options: CastSessionOptions) {
    super();
    this.host = options.host;
    this.port = options.port ?? 8009;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    this.#launchTimeoutMs = options.launchTimeoutMs ?? 20_000;
    this.#heartbeatMs = options.heartbeatIntervalMs ?? 5000;
    this.#pongTimeoutMs = options.pongTimeoutMs ?? 10_000;
    this.#reconnectInitialMs = options.reconnectInitialMs ?? 500;
    this.#reconnectMaxMs = options.reconnectMaxMs ?? 30_000;
    this.#logger = partLogger(options.logger);
  }

  get state(): CastSessionState {
    return this.#state;
  }

  /** The app this session has launched or joined, if it is running. */
  get app(): ReceiverApplication | undefined {
    return this.#appInfo;
  }

  /** The last RECEIVER_STATUS seen. */
  get receiverStatus(): ReceiverStatus {
    return this.#lastStatus;
  }

  /**
   * Connects for the first time; rejects with {@link DeviceUnavailableError} if the
   * device cannot be reached, and stays `idle` so that a later call tries again.
   * Once connected, losses reconnect by themselves.
   */
  connect(): Promise<void> {
    // A second caller while the first connection is being made waits for that one.
    if (this.#state === 'connecting' && this.#connecting) return this.#connecting;
    if (this.#state !== 'idle') return Promise.resolve();
    this.#setState('connecting');
    this.#connecting = this.#open()
      .catch((error: unknown) => {
        if (this.#state === 'connecting') this.#setState('idle'); // close() may have come meanwhile
        throw error;
      })
      .finally(() => {
        this.#connecting = undefined;
      });
    return this.#connecting;
  }

  /** Closes for good: no more reconnects. The app keeps running on the device. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#setState('closed');
    clearTimeout(this.#retryTimer);
    this.#teardown();
  }

  /** GET_STATUS on the platform receiver. */
  async getStatus(): Promise<ReceiverStatus> {
    const reply = await requestWithDeadline(this.#client?.receiver, { type: 'GET_STATUS' }, this.#requestTimeoutMs);
    return this.#noteStatus(reply.status as ReceiverStatus);
  }

  /** GET_APP_AVAILABILITY for one app id. */
  async isAppAvailable(appId: string): Promise<boolean> {
    const reply = await requestWithDeadline(this.#client?.receiver, { type: 'GET_APP_AVAILABILITY', appId: [appId] }, this.#requestTimeoutMs);
    return (reply.availability as Json | undefined)?.[appId] === 'APP_AVAILABLE';
  }

  /** Launches `appId` (or joins it when it already runs) and joins its transport. */
  async launch(appId: string): Promise<ReceiverApplication> {
    const running = (await this.getStatus()).applications?.find((app) => app.appId === appId);
    if (running) return this.#join(running);
    const reply = await requestWithDeadline(this.#client?.receiver, { type: 'LAUNCH', appId }, this.#launchTimeoutMs);
    if (reply.type === 'LAUNCH_ERROR') throw new LaunchError(appId, typeof reply.reason === 'string' ? reply.reason : 'unknown reason');
    const app = this.#noteStatus(reply.status as ReceiverStatus).applications?.find((candidate) => candidate.appId === appId);
    if (!app) throw new LaunchError(appId, 'the device did not report the app running');
    return this.#join(app);
  }

  /** Stops the joined app on the device. */
  async stopApp(): Promise<void> {
    const app = this.#appInfo;
    if (!app) return;
    this.#leaveApp();
    await requestWithDeadline(this.#client?.receiver, { type: 'STOP', sessionId: app.sessionId }, this.#requestTimeoutMs);
    // Once we have left it, the device's next status no longer says so: say it here.
    this.emit('app-closed');
  }

  /** SET_VOLUME: a level from 0 to 1, or mute. */
  async setVolume(volume: { level: number } | { muted: boolean }): Promise<void> {
    const reply = await requestWithDeadline(this.#client?.receiver, { type: 'SET_VOLUME', volume }, this.#requestTimeoutMs);
    this.#noteStatus(reply.status as ReceiverStatus);
  }

  /** A request on the joined Default Media Receiver's media namespace. */
  mediaRequest(payload: Json): Promise<Json> {
    const media = this.#joined?.media;
    if (!media) return Promise.reject(new DeviceUnavailableError('The Default Media Receiver is not running on the device'));
    return requestWithDeadline(media, payload, this.#requestTimeoutMs);
  }

  /** Sends a message to the joined app on a custom namespace. */
  sendToApp(namespace: string, data: Json): void {
    const controller = this.#joined?.channel(namespace);
    if (!controller || this.#state !== 'connected') throw new DeviceUnavailableError(`No app is joined on ${namespace}`);
    controller.send(data);
  }

  #setState(state: CastSessionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('state', state);
  }

  #noteStatus(status: ReceiverStatus | undefined): ReceiverStatus {
    this.#lastStatus = status ?? {};
    return this.#lastStatus;
  }

  async #open(): Promise<void> {
    // A process whose first castv2 use is this connection would crash otherwise (CONNECT is sent on connect).
    await protocolReady();
    if (this.#state === 'closed') throw new DeviceUnavailableError(`The session to ${this.host}:${this.port} was closed`);
    const client = new Client();
    this.#client = client;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void => reject(new DeviceUnavailableError(`Cannot reach the Cast device at ${this.host}:${this.port}: ${error.message}`, { cause: error }));
      client.once('error', failed);
      try {
        client.connect({ host: this.host, port: this.port }, () => {
          client.off('error', failed);
          resolve();
        });
      } catch (error) {
        failed(error as Error);
      }
    });
    if (this.#client !== client) return; // closed while connecting
    client.on('error', (error: Error) => this.#lost(client, error.message));
    client.client.once('close', () => this.#lost(client, 'connection closed'));
    client.on('status', (status: ReceiverStatus) => this.#onReceiverStatus(status));
    this.#startHeartbeat(client);
    this.#attempt = 0;
    this.#setState('connected');
  }

  #onReceiverStatus(status: ReceiverStatus): void {
    this.#noteStatus(status);
    this.emit('receiver-status', status);
    const joined = this.#appInfo;
    if (joined && !status.applications?.some((app) => app.sessionId === joined.sessionId)) {
      this.#leaveApp();
      this.emit('app-closed');
    }
  }

  #join(app: ReceiverApplication): ReceiverApplication {
    const client = this.#client;
    if (!client || this.#state !== 'connected') throw new DeviceUnavailableError('Not connected to the device');
    this.#leaveApp();
    const joined = new JoinedApp(client, app, {
      mediaStatus: (status) => this.emit('media-status', status),
      appMessage: (namespace, data) => this.emit('app-message', namespace, data),
      closed: () => {
        if (this.#joined !== joined) return;
        this.#joined = undefined;
        this.#appInfo = undefined;
        this.emit('app-closed');
      },
    });
    this.#joined = joined;
    this.#appInfo = app;
    return app;
  }

  #leaveApp(): void {
    const joined = this.#joined;
    this.#joined = undefined;
    this.#appInfo = undefined;
    joined?.leave();
  }

  #startHeartbeat(client: Client): void {
    const heartbeat = client.heartbeat;
    heartbeat?.stop();
    this.#lastPong = Date.now();
    heartbeat?.on('message', (data: Json) => {
      if (data.type === 'PONG') this.#lastPong = Date.now();
      else if (data.type === 'PING') heartbeat.send({ type: 'PONG' });
    });
    this.#heartbeatTimer = setInterval(() => {
      if (Date.now() - this.#lastPong > this.#pongTimeoutMs) return this.#lost(client, `no PONG for ${this.#pongTimeoutMs} ms`);
      try {
        heartbeat?.send({ type: 'PING' });
      } catch {
        this.#lost(client, 'heartbeat could not be sent');
      }
    }, Math.min(this.#heartbeatMs, this.#pongTimeoutMs / 2));
    this.#heartbeatTimer.unref();
  }

  /** The connection is gone (closed, failed or silent): tear it down and try again later. */
  #lost(client: Client, reason: string): void {
    if (this.#client !== client || this.#state === 'closed') return;
    this.#logger.warn(`Cast device ${this.host}:${this.port}: ${reason}; reconnecting`);
    const app = this.#appInfo;
    this.#teardown();
    this.#appInfo = app; // remembered, to re-join after the reconnect
    this.#setState('reconnecting');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const delay = backoffDelay(this.#attempt++, this.#reconnectInitialMs, this.#reconnectMaxMs);
    this.#retryTimer = setTimeout(() => void this.#reconnect(), delay);
    this.#retryTimer.unref();
  }

  async #reconnect(): Promise<void> {
    if (this.#state !== 'reconnecting') return;
    const previous = this.#appInfo;
    try {
      await this.#open();
      const status = await this.getStatus();
      this.#appInfo = undefined;
      const still = previous && status.applications?.find((app) => app.sessionId === previous.sessionId);
      if (still) {
        this.#join(still);
        if (this.#joined?.media) {
          const media = await this.mediaRequest({ type: 'GET_STATUS' });
          const entry = (media.status as Json[] | undefined)?.[0];
          if (entry) this.emit('media-status', entry);
        }
      } else if (previous) {
        this.emit('app-closed');
      }
      this.#logger.info(`Cast device ${this.host}:${this.port}: reconnected`);
      this.emit('reconnected');
    } catch (error) {
      // close() may have come while this attempt was in flight.
      if ((this.#state as CastSessionState) === 'closed') return;
      this.#logger.debug(`Cast device ${this.host}:${this.port}: reconnect failed: ${errorMessage(error)}`);
      this.#teardown();
      this.#appInfo = previous;
      this.#setState('reconnecting');
      this.#scheduleReconnect();
    }
  }

  #teardown(): void {
    clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
    this.#leaveApp();
    const client = this.#client;
    this.#client = undefined;
    if (!client) return;
    client.removeAllListeners('status');
    // castv2-client may still emit errors while closing; they must have a listener.
    client.removeAllListeners('error');
    client.on('error', () => {});
    try {
      client.close();
    } catch {
      // already closed
    }
  }
}
