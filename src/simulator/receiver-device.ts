import { randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_MEDIA_RECEIVER, NS, PLATFORM_RECEIVER } from '../cast/namespaces.ts';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { DetailedErrorCode, DetailedErrorName } from '../cast/detailed-error-codes.ts';
import type { DeviceModel } from '../media/device-models.ts';
import { displayableTypes } from './displayable.ts';
import type { Rendering } from './decoding.ts';
import { MULTIZONE_NAMESPACE, multizoneReply, type MultizoneHost } from './multizone.ts';
import { ReceiverBrowser, type ReceiverPage } from './receiver-browser.ts';
import { RunningApp, type AppMessage } from './running-app.ts';

type Json = Record<string, unknown>;

/** What a {@link ReceiverDevice} can do, and how it reaches the senders and its owner. */
export interface ReceiverDeviceOptions {
  /** What the device decodes: its apps play by it. */
  model: DeviceModel;
  /** ffprobe, which the Default Media Receiver probes what it loads with; undefined: `ffprobe` on the PATH. */
  ffprobePath: string | undefined;
  /** App ids whose LAUNCH is refused with `NOT_FOUND` (and reported unavailable). */
  refuseApps: readonly string[];
  /** Receiver apps as app id → the receiver page's URL. */
  receiverApps: Readonly<Record<string, string>>;
  /** More registered app ids, run with no page: their custom messages go to {@link ReceiverDeviceOptions.appMessage}. */
  apps: readonly string[];
  /** What it answers on the multizone namespace; undefined on a device without multizone. */
  multizone: MultizoneHost | undefined;
  /** Chromium for receiver apps; undefined for ReceiverBrowser's default. */
  chromiumPath: string | undefined;
  /** How long a receiver page may take to start CAF before its LAUNCH fails. */
  appStartTimeoutMs: number;
  logger: Logger;
  /** Sends to one sender; a send to one that has gone away must be dropped, not thrown. */
  send(clientId: string, sourceId: string, destinationId: string, namespace: string, payload: unknown): void;
  /** Sends to every sender connected to `sourceId`, addressed to `*`. */
  broadcast(sourceId: string, namespace: string, payload: Json): void;
  /** Ends the senders' virtual connections to `destinationId`, telling each of them. */
  closeConnectionsTo(destinationId: string): void;
  /** An app was launched (it is already {@link ReceiverDevice.runningApp}). */
  appLaunched(appId: string): void;
  /** The running app stopped (there is none now). */
  appStopped(): void;
  /** A message on a custom namespace reached the running app. */
  appMessage(message: AppMessage): void;
  /** The Default Media Receiver broadcast a MEDIA_STATUS; this is its first entry, if any. */
  mediaStatus(status: Json | undefined): void;
}

/**
 * The receiver side of a simulated Chromecast: the receiver namespace (status,
 * app availability, LAUNCH, STOP, volume), the running app with its media namespace,
 * and the receiver pages that launching a registered app opens in Chromium.
 *
 * Held to openscreen's ApplicationAgent: only registered app ids exist (the Default
 * Media Receiver, `receiverApps`, `apps`); every request is answered with its
 * `requestId`; an unknown command with none gets no answer.
 */
export class ReceiverDevice {
  readonly #options: ReceiverDeviceOptions;
  readonly #refused: Set<string>;
  readonly #receiverApps: ReadonlyMap<string, string>;
  /** Every app id registered on the device, refused or not. */
  readonly #registered: ReadonlySet<string>;
  readonly #logger: Logger;
  #browser: ReceiverBrowser | undefined;
  #volume = { level: 0.5, muted: false };
  #app: RunningApp | undefined;
  #nextLoadFailure: DetailedErrorName | DetailedErrorCode | undefined;

  constructor(options: ReceiverDeviceOptions) {
    this.#options = options;
    this.#refused = new Set(options.refuseApps);
    this.#receiverApps = new Map(Object.entries(options.receiverApps));
    this.#registered = new Set([DEFAULT_MEDIA_RECEIVER, ...this.#receiverApps.keys(), ...options.apps]);
    this.#logger = options.logger;
  }

  /** Whether a sender may open a virtual connection to `destinationId`: the platform, or the running app's transport. */
  accepts(destinationId: string): boolean {
    return destinationId === PLATFORM_RECEIVER || destinationId === this.#app?.transportId;
  }

  /** The running app's id, if any. */
  get runningApp(): string | undefined {
    return this.#app?.appId;
  }

  /** The running app's status text (the TXT record's `rs`), if an app runs. */
  get statusText(): string | undefined {
    return this.#app?.statusText;
  }

  /** The running receiver app's page in Chromium, if a receiver app runs. */
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

  /** What the Default Media Receiver shows of its current item: picture, sound, and why not. */
  rendering(): Rendering | undefined {
    return this.#app?.playback?.rendering();
  }

  /** Fault: refuse LAUNCH of `appId` with `NOT_FOUND` from now on. */
  refuseLaunch(appId: string): void {
    this.#refused.add(appId);
  }

  /** Fault: the next item load fails with this reason. */
  failNextLoad(code: DetailedErrorName | DetailedErrorCode): void {
    this.#nextLoadFailure = code;
  }

  /** A message from a sender on an open virtual connection, on any namespace but connection and heartbeat. */
  onMessage(clientId: string, sourceId: string, destinationId: string, namespace: string, message: Json): void {
    const reply = (payload: Json): void => this.#options.send(clientId, destinationId, sourceId, namespace, payload);
    if (destinationId === PLATFORM_RECEIVER) {
      if (namespace === NS.receiver) this.#onReceiver(message, reply);
      else if (namespace === MULTIZONE_NAMESPACE && this.#options.multizone) {
        const answer = multizoneReply(this.#options.multizone, message);
        if (answer) reply(answer);
      }
      return; // the platform speaks no other namespace
    }
    this.#app?.onMessage(clientId, sourceId, destinationId, namespace, message);
  }

  /** Closes the running app and Chromium without telling anyone: the device is going away. */
  async close(): Promise<void> {
    this.#app?.close();
    this.#app = undefined;
    await this.#browser?.close();
    this.#browser = undefined;
  }

  #onReceiver(message: Json, reply: (payload: Json) => void): void {
    const hasId = typeof message.requestId === 'number';
    const requestId = hasId ? (message.requestId as number) : 0;
    switch (message.type) {
      case 'GET_STATUS':
        return reply({ type: 'RECEIVER_STATUS', requestId, status: this.#receiverStatus() });
      case 'GET_APP_AVAILABILITY': {
        // openscreen's reply has no `type`, only `responseType`.
        const ids = Array.isArray(message.appId) ? (message.appId as unknown[]).filter((id) => typeof id === 'string') : [];
        const availability = Object.fromEntries(ids.map((id) => [id, this.#available(id) ? 'APP_AVAILABLE' : 'APP_UNAVAILABLE']));
        return reply({ responseType: 'GET_APP_AVAILABILITY', requestId, availability });
      }
      case 'LAUNCH': {
        const appId = message.appId;
        if (typeof appId !== 'string' || appId === '') return reply({ type: 'LAUNCH_ERROR', requestId, reason: 'BAD_PARAMETER' });
        if (!this.#available(appId)) return reply({ type: 'LAUNCH_ERROR', requestId, reason: 'NOT_FOUND' });
        if (this.#app?.appId !== appId) {
          const url = this.#receiverApps.get(appId);
          // A receiver page answers the LAUNCH once it has started CAF, as a device does.
          if (url) return void this.#launchPage(appId, url, requestId, reply);
          this.#launch(appId);
        }
        return this.#broadcastReceiverStatus(requestId);
      }
      case 'STOP':
        if (message.sessionId !== undefined && message.sessionId !== this.#app?.sessionId) return reply({ type: 'INVALID_REQUEST', requestId, reason: 'INVALID_SESSION_ID' });
        this.#stopApp();
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
        if (hasId) reply({ type: 'INVALID_REQUEST', requestId, reason: 'INVALID_COMMAND' });
    }
  }

  /** Registered on the device and not refused by the fault. */
  #available(appId: string): boolean {
    return this.#registered.has(appId) && !this.#refused.has(appId);
  }

  async #launchPage(appId: string, url: string, requestId: number, reply: (payload: Json) => void): Promise<void> {
    const app = this.#launch(appId);
    const chromiumPath = this.#options.chromiumPath;
    this.#browser ??= new ReceiverBrowser({ logger: this.#logger, displayable: displayableTypes(this.#options.model), ...(chromiumPath ? { executablePath: chromiumPath } : {}) });
    try {
      const page = await this.#browser.open(url, { toSender: (namespace, senderId, data) => app.sendToSender(namespace, senderId, data) }, this.#options.appStartTimeoutMs);
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
      model: this.#options.model,
      ...(this.#options.ffprobePath ? { ffprobePath: this.#options.ffprobePath } : {}),
      volume: () => ({ ...this.#volume }),
      send: (clientId, sourceId, destinationId, namespace, payload) => this.#options.send(clientId, sourceId, destinationId, namespace, payload),
      broadcast: (sourceId, namespace, payload) => {
        this.#options.broadcast(sourceId, namespace, payload);
        if (namespace === NS.media && app.playback) this.#options.mediaStatus(this.mediaStatus());
      },
      takeLoadFailure: () => {
        const reason = this.#nextLoadFailure;
        this.#nextLoadFailure = undefined;
        return reason;
      },
      appMessage: (message) => {
        this.#options.appMessage(message);
        app.page?.deliver(message.namespace, message.senderId, message.data).catch((error: unknown) => {
          this.#logger.debug(`simulator could not hand a ${message.namespace} message to the receiver page: ${errorMessage(error)}`);
        });
      },
    });
    this.#app = app;
    this.#options.appLaunched(appId);
    return app;
  }

  #stopApp(): void {
    const app = this.#app;
    if (!app) return;
    this.#app = undefined;
    app.close();
    // Senders joined to the app hear it close, as on a device.
    this.#options.closeConnectionsTo(app.transportId);
    this.#options.appStopped();
  }

  /** As real devices send it: no `applications` key with no app running; `isActiveInput`/`isStandBy` only from a screen. */
  #receiverStatus(): Json {
    return {
      ...(this.#app ? { applications: [this.#app.statusEntry()] } : {}),
      ...(this.#options.model.castType === 'video' ? { isActiveInput: true, isStandBy: false } : {}),
      userEq: {},
      volume: { ...this.#volume, controlType: 'attenuation', stepInterval: 0.05 },
    };
  }

  #broadcastReceiverStatus(requestId: number): void {
    this.#options.broadcast(PLATFORM_RECEIVER, NS.receiver, { type: 'RECEIVER_STATUS', requestId, status: this.#receiverStatus() });
  }
}
