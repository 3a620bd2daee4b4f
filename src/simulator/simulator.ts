import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DetailedErrorCode, DetailedErrorName } from '../cast/detailed-error-codes.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { DEFAULT_DEVICE_MODEL, deviceModel, type DeviceModel, type DeviceModelId } from '../media/device-models.ts';
import { advertisedAddresses, CastAdvertiser, castInstanceName, dashedUuid, type CastTxt } from './advertiser.ts';
import { CastServer } from './cast-server.ts';
import { EurekaServer } from './eureka.ts';
import { multizoneMembers, type MultizoneHost, type MultizoneMember } from './multizone.ts';
import type { Rendering } from './decoding.ts';
import type { ReceiverPage } from './receiver-browser.ts';
import { ReceiverDevice } from './receiver-device.ts';
import type { AppMessage } from './running-app.ts';

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
  /** A Cast group (`md: Google Cast Group`) rather than a device: the same as `model: 'group'`. */
  group?: boolean;
  /**
   * The device model it plays as: what it decodes, per Google's support table (see
   * `src/media/device-models.ts`), and how it shows itself (`md`). Default
   * `chromecast-3rd-gen`, the most limited model still common; `group` with `group: true`.
   */
  model?: DeviceModelId;
  /** Advertise over mDNS (default true). */
  advertise?: boolean;
  /** The interface address mDNS uses. */
  mdnsInterface?: string;
  /** App ids whose LAUNCH is refused with `NOT_FOUND` (and reported unavailable): a fault. */
  refuseApps?: readonly string[];
  /**
   * More app ids registered on the device besides the Default Media Receiver and
   * `receiverApps`: they launch with no page, their custom messages go to the
   * `app-message` event. Any other app id is unavailable and not launchable, as on a
   * device (an app id exists only once registered in the Cast developer console).
   */
  apps?: readonly string[];
  /** A group's members, by friendly name or device id (32 hex digits): its multizone status lists them. */
  members?: readonly string[];
  /** TCP port of the HTTP server (`/setup/eureka_info`, port 8008 on a device); 0 (the default) picks a free one. */
  httpPort?: number;
  /** Interval of the device's own PINGs to senders. Default 5000 ms, as devices PING. */
  heartbeatIntervalMs?: number;
  /**
   * A sender that sends neither PING nor PONG for this long is dropped (its socket
   * closed). Default 10000 ms: two of the 5 s heartbeat intervals, the liveness
   * timeout of Chromium's Cast channel (ping 5 s, liveness 2 × ping), which is what
   * the senders' own timeouts are built around.
   */
  senderTimeoutMs?: number;
  /**
   * Receiver apps the device can run, as app id → the receiver page's URL (what the
   * Cast developer console registers for an app id). Launching one opens the page in
   * headless Chromium with a stand-in for `cast.framework`, and relays the app's custom
   * namespaces to it. Needs playwright-core and Chromium.
   */
  receiverApps?: Readonly<Record<string, string>>;
  /** ffprobe, which the Default Media Receiver probes what it loads with. Default `ffprobe` on the PATH. */
  ffprobePath?: string;
  /** Chromium for receiver apps. Default `/usr/bin/chromium`. */
  chromiumPath?: string;
  /** How long a receiver page may take to start CAF before its LAUNCH fails. Default 20000 ms. */
  appStartTimeoutMs?: number;
  logger?: Logger;
}

export type { AppMessage } from './running-app.ts';

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
  /** The TXT `md` (model name) it shows. */
  readonly model: string;
  /** What it decodes and how it shows itself. */
  readonly deviceModel: DeviceModel;
  readonly #logger: Logger;
  readonly #advertise: boolean;
  readonly #mdnsInterface: string | undefined;
  readonly #server: CastServer;
  readonly #device: ReceiverDevice;
  readonly #eureka: EurekaServer;
  /** A group's members (a device reports itself on the multizone namespace). */
  readonly #members: readonly MultizoneMember[];
  #name: string;
  #advertiser: CastAdvertiser | undefined;

  constructor(options: SimulatorOptions = {}) {
    super();
    this.id = options.id ?? randomBytes(16).toString('hex');
    const modelId = options.model ?? (options.group ? 'group' : DEFAULT_DEVICE_MODEL);
    const model = deviceModel(modelId);
    if (!model) throw new RangeError(`no Cast device model '${modelId}'`);
    this.deviceModel = model;
    this.isGroup = model.castType === 'group';
    this.model = model.modelName;
    this.#name = options.name ?? 'NasCast Simulator';
    this.#logger = options.logger ?? silentLogger;
    this.#advertise = options.advertise ?? true;
    this.#mdnsInterface = options.mdnsInterface;
    this.#members = this.isGroup ? multizoneMembers(this.id, options.members ?? []) : [];
    this.#server = new CastServer({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5000,
      senderTimeoutMs: options.senderTimeoutMs ?? 10_000,
      accepts: (destinationId) => this.#device.accepts(destinationId),
      logger: this.#logger,
      onConnection: (clientId) => this.emit('connection', clientId),
      onMessage: (clientId, sourceId, destinationId, namespace, message) => this.#device.onMessage(clientId, sourceId, destinationId, namespace, message),
    });
    this.#device = new ReceiverDevice({
      model,
      refuseApps: options.refuseApps ?? [],
      receiverApps: options.receiverApps ?? {},
      apps: options.apps ?? [],
      multizone: model.castType === 'video' ? undefined : this.#multizone(),
      chromiumPath: options.chromiumPath,
      ffprobePath: options.ffprobePath,
      appStartTimeoutMs: options.appStartTimeoutMs ?? 20_000,
      logger: this.#logger,
      send: (clientId, sourceId, destinationId, namespace, payload) => this.#server.send(clientId, sourceId, destinationId, namespace, payload),
      broadcast: (sourceId, namespace, payload) => this.#server.broadcast(sourceId, namespace, payload),
      closeConnectionsTo: (destinationId) => this.#server.closeConnectionsTo(destinationId),
      appLaunched: (appId) => {
        this.emit('launch', appId);
        this.#advertiser?.updateTxt(this.#txt());
      },
      appStopped: () => this.#advertiser?.updateTxt(this.#txt()),
      appMessage: (message) => this.emit('app-message', message),
      mediaStatus: (status) => this.emit('media-status', status),
    });
    this.#eureka = new EurekaServer({ id: this.id, model, name: () => this.#name, castPort: () => this.#server.port }, { port: options.httpPort ?? 0, logger: this.#logger });
  }

  get name(): string {
    return this.#name;
  }

  /** The castv2 port (known once started; kept across `restart()`). */
  get port(): number {
    return this.#server.port;
  }

  get host(): string {
    return this.#server.host;
  }

  /** The HTTP port serving `/setup/eureka_info` (known once started). */
  get httpPort(): number {
    return this.#eureka.port;
  }

  /** How many senders are connected now (a closed connection counts once its last message is handled). */
  get connectionCount(): number {
    return this.#server.connectionCount;
  }

  /** The running app's id, if any. */
  get runningApp(): string | undefined {
    return this.#device.runningApp;
  }

  /** The running receiver app's page in Chromium, if a receiver app runs (see {@link SimulatorOptions.receiverApps}). */
  get receiverPage(): ReceiverPage | undefined {
    return this.#device.receiverPage;
  }

  get volume(): { level: number; muted: boolean } {
    return this.#device.volume;
  }

  /** The Default Media Receiver's MEDIA_STATUS entry, if it is running and has media. */
  mediaStatus(): Json | undefined {
    return this.#device.mediaStatus();
  }

  /**
   * What the Default Media Receiver shows of what it plays, by its model: a picture, sound,
   * and the reasons for what it cannot decode; undefined before a load and after a failed one.
   */
  rendering(): Rendering | undefined {
    return this.#device.rendering();
  }

  /** Starts the TLS server (once castv2's protobufs are ready), the HTTP server and the advertisement. */
  async start(): Promise<void> {
    await this.#server.listen(this.#name);
    try {
      await this.#eureka.listen(this.#server.host);
    } catch (error) {
      await this.#server.close();
      throw error;
    }
    if (this.#advertise) {
      this.#advertiser = new CastAdvertiser({ logger: this.#logger, ...(this.#mdnsInterface ? { interface: this.#mdnsInterface } : {}) });
      this.#advertiser.publish({
        instanceName: castInstanceName(this.model, this.id),
        target: `${dashedUuid(this.id)}.local`,
        port: this.#server.port,
        addresses: advertisedAddresses(this.#server.host),
        txt: this.#txt(),
      });
    }
    this.#server.startHeartbeat();
  }

  /** Stops everything: sockets, servers, advertisement (with an mDNS goodbye), timers. */
  async stop(): Promise<void> {
    this.#server.stopHeartbeat();
    await this.#device.close();
    await this.#server.close();
    await this.#eureka.close();
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
    this.#server.dropSockets();
  }

  /** Fault: stops answering PINGs and requests until `resume()`. The sockets stay open. */
  hang(): void {
    this.#server.hang();
  }

  resume(): void {
    this.#server.resume();
  }

  /** Fault: goes away (sockets dropped, port closed) and comes back on the same port; the running app survives. */
  async restart(): Promise<void> {
    await this.#server.restart();
  }

  /** Fault: refuse LAUNCH of `appId` with `NOT_FOUND` from now on. */
  refuseLaunch(appId: string): void {
    this.#device.refuseLaunch(appId);
  }

  /**
   * Fault: the next item load (LOAD, a queue move, or the queue moving on by itself)
   * fails as the SDK reports it, with this detailed error code (a name such as
   * `MEDIA_DECODE`, or its number); default 905 `LOAD_FAILED`.
   */
  failNextLoad(code: DetailedErrorName | DetailedErrorCode = 'LOAD_FAILED'): void {
    this.#device.failNextLoad(code);
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
      ca: String(this.deviceModel.capabilities),
      st: this.#device.runningApp !== undefined ? '1' : '0',
      bs: 'FA8FCA000000',
      nf: '1',
      rs: this.#device.statusText ?? '',
    };
  }

  /** A group reports its members on the multizone namespace, a device itself, with its own volume. */
  #multizone(): MultizoneHost {
    return {
      devices: () => {
        if (!this.isGroup) return [{ id: this.id, name: this.#name, capabilities: this.deviceModel.capabilities, volume: this.#device.volume }];
        // The members are not simulated: each reports an audio device's capabilities at full volume.
        return this.#members.map((member) => ({ ...member, capabilities: this.deviceModel.capabilities, volume: { level: 1, muted: false } }));
      },
    };
  }
}
