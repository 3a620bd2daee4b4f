import { EventEmitter } from 'node:events';
import { DefaultMediaPlayer } from '../cast/default-media-player.ts';
import { DEFAULT_MEDIA_RECEIVER } from '../cast/namespaces.ts';
import { openReceiver } from '../cast/open-player.ts';
import type { CastMedia, LoadOptions, LoadResult, Player, PlayerStatus } from '../cast/player.ts';
import type { CastSession } from '../cast/session.ts';
import { DeviceUnavailableError, LaunchError, NoMediaSessionError } from '../errors.ts';
import { type Logger, partLogger } from '../logger.ts';
import type { ControlHub } from '../control/hub.ts';
import { ReceiverPlayer } from './receiver-player.ts';
import type { ReceiverTokens } from '../control/receiver-tokens.ts';

/** What the hand-over to our receiver app needs of the control channel. */
export interface ReceiverAppLink {
  readonly hub: ControlHub;
  readonly receiverTokens: ReceiverTokens;
  /** The control channel's WebSocket URL as devices reach it (`ws://<LAN address>:<port>/control`). */
  url(): string;
}

/** Options of {@link ChromecastPlayer}. */
export interface ChromecastPlayerOptions {
  /** The device's id: the hub's device key and the receiver token's scope. */
  id: string;
  name: string;
  session: CastSession;
  /** Our receiver app's id; without it (or without `control`) the Default Media Receiver plays. */
  appId?: string;
  control?: ReceiverAppLink;
  /** How long the launched page may take to join the control channel. Default 20000 ms. */
  receiverTimeoutMs?: number;
  logger?: Logger;
}

/** Events of {@link ChromecastPlayer}. */
export interface ChromecastPlayerEvents {
  status: [status: PlayerStatus];
  /** Reachability changed: online while the castv2 session or the receiver page's socket is up. */
  online: [online: boolean];
}

/** Which receiver plays on the device: our app over the control channel, or Google's Default Media Receiver. */
export type ReceiverKind = 'custom' | 'default';

/**
 * The {@link Player} of one Chromecast. With an app id it launches our receiver app,
 * hands it the control channel (URL and a device-scoped token, on our namespace),
 * waits for the page's `hello` and then drives it over the hub; where the app cannot
 * run (no app id, unavailable, refused) it plays through the Default Media Receiver.
 * The device counts as offline only when both the castv2 session and the page's
 * socket are gone: either alone is enough to reach it.
 */
export class ChromecastPlayer extends EventEmitter<ChromecastPlayerEvents> implements Player {
  readonly id: string;
  readonly name: string;
  readonly #session: CastSession;
  readonly #appId: string | undefined;
  readonly #control: ReceiverAppLink | undefined;
  readonly #receiverTimeoutMs: number;
  readonly #logger: Logger;
  readonly #forward = (status: PlayerStatus): void => {
    // Our page publishes its own status on the hub; the Default Media Receiver's comes over castv2, so it is published here.
    if (this.#inner instanceof DefaultMediaPlayer) this.#control?.hub.publishStatus(this.id, withoutUndefined(status));
    this.emit('status', status);
  };
  readonly #recheck = (): void => this.#checkOnline();
  readonly #onReceiver = (device: string): void => {
    if (device === this.id) this.#checkOnline();
  };
  /** Another sender took the TV, or the app was closed on it: our page is gone, and so is what it played. */
  readonly #onAppClosed = (): void => {
    if (!(this.#inner instanceof ReceiverPlayer) || this.#inner.status().state === 'IDLE') return;
    const { volume, muted } = this.#inner.status();
    this.#control?.hub.publishStatus(this.id, { state: 'IDLE', position: 0, volume, muted });
  };
  #inner: ReceiverPlayer | DefaultMediaPlayer | undefined;
  #opening: Promise<Player> | undefined;
  #online: boolean;

  constructor(options: ChromecastPlayerOptions) {
    super();
    this.id = options.id;
    this.name = options.name;
    this.#session = options.session;
    this.#appId = options.appId || undefined;
    this.#control = options.control;
    this.#receiverTimeoutMs = options.receiverTimeoutMs ?? 20_000;
    this.#logger = partLogger(options.logger);
    this.#online = this.online;
    this.#session.on('state', this.#recheck);
    this.#session.on('app-closed', this.#onAppClosed);
    this.#control?.hub.on('receiver-up', this.#onReceiver);
    this.#control?.hub.on('receiver-down', this.#onReceiver);
  }

  /**
   * False once the castv2 session has been lost (it is reconnecting, or closed) and the
   * receiver page's control socket is gone too. Before the first connection the device
   * counts as online: discovery has just heard from it.
   */
  get online(): boolean {
    const lost = this.#session.state === 'reconnecting' || this.#session.state === 'closed';
    return !lost || this.#receiverConnected();
  }

  /** The receiver in use, once something has been loaded. */
  get receiver(): ReceiverKind | undefined {
    if (!this.#inner) return undefined;
    return this.#inner instanceof ReceiverPlayer ? 'custom' : 'default';
  }

  async load(media: CastMedia | readonly CastMedia[], options?: LoadOptions): Promise<LoadResult> {
    const player = await this.#open();
    return player.load(media, options);
  }

  async play(): Promise<void> {
    await this.#current('play').play();
  }

  async pause(): Promise<void> {
    await this.#current('pause').pause();
  }

  async stop(): Promise<void> {
    await this.#current('stop').stop();
  }

  async seek(position: number): Promise<void> {
    await this.#current('seek').seek(position);
  }

  async seekBy(seconds: number): Promise<void> {
    await this.#current('seek').seekBy(seconds);
  }

  /**
   * The device's volume (SET_VOLUME on the receiver namespace), whichever receiver
   * plays: our page cannot set it (CAF has no call for it) and reports it from CAF's
   * SYSTEM_VOLUME_CHANGED events.
   */
  async setVolume(level: number): Promise<void> {
    if (this.#inner instanceof DefaultMediaPlayer) return this.#inner.setVolume(level);
    await this.#connected();
    await this.#session.setVolume({ level: Math.min(1, Math.max(0, level)) });
  }

  async setMuted(muted: boolean): Promise<void> {
    if (this.#inner instanceof DefaultMediaPlayer) return this.#inner.setMuted(muted);
    await this.#connected();
    await this.#session.setVolume({ muted });
  }

  async next(): Promise<void> {
    await this.#current('next').next();
  }

  async prev(): Promise<void> {
    await this.#current('prev').prev();
  }

  /**
   * Opens the Cast connection without playing anything, so that reachability (its
   * heartbeat) and the volume are known before the first command. It reconnects by itself.
   */
  async connect(): Promise<void> {
    await this.#connected();
    // The device says its volume only when it changes: ask, so that it is known before anything plays.
    await this.#session.getStatus();
  }

  /** Shows the now-playing overlay of our receiver page for a few seconds; the Default Media Receiver has none, so it does nothing there. */
  async overlay(): Promise<void> {
    const inner = this.#current('overlay');
    if (inner instanceof ReceiverPlayer) await inner.overlay();
  }

  /** Closes the app on the device (the TV goes back to its own screen). */
  async quit(): Promise<void> {
    await this.#connected();
    const ours = [this.#appId, DEFAULT_MEDIA_RECEIVER];
    const app = this.#session.app ?? (await this.#session.getStatus()).applications?.find((running) => ours.includes(running.appId));
    if (!app) return;
    if (!this.#session.app) await this.#session.launch(app.appId); // joins the running app, so that STOP names its session
    await this.#session.stopApp();
  }

  status(): PlayerStatus {
    return this.#inner?.status() ?? { state: 'IDLE', position: 0, volume: this.#session.receiverStatus.volume?.level ?? 1, muted: this.#session.receiverStatus.volume?.muted ?? false };
  }

  /** Stops following the session and the hub, and closes the session. */
  dispose(): void {
    this.#session.off('state', this.#recheck);
    this.#session.off('app-closed', this.#onAppClosed);
    this.#control?.hub.off('receiver-up', this.#onReceiver);
    this.#control?.hub.off('receiver-down', this.#onReceiver);
    this.#inner?.off('status', this.#forward);
    if (this.#inner instanceof ReceiverPlayer) this.#inner.dispose();
    this.#session.close();
  }

  #current(operation: string): Player {
    if (!this.online) throw new DeviceUnavailableError(`${this.name} is offline: neither its Cast connection nor its receiver page answers`);
    if (!this.#inner) throw new NoMediaSessionError(operation);
    return this.#inner;
  }

  #receiverConnected(): boolean {
    return this.#control?.hub.receivers.some((receiver) => receiver.device === this.id) ?? false;
  }

  #checkOnline(): void {
    const online = this.online;
    if (online === this.#online) return;
    this.#online = online;
    this.emit('online', online);
  }

  async #connected(): Promise<void> {
    await this.#session.connect();
    if (this.#session.state !== 'connected') throw new DeviceUnavailableError(`${this.name} cannot be reached (its connection is ${this.#session.state})`);
  }

  /** One opening at a time: two loads at once must not launch the app twice. */
  #open(): Promise<Player> {
    this.#opening ??= this.#openReceiver().finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  async #openReceiver(): Promise<Player> {
    await this.#connected();
    const appId = this.#appId;
    const control = this.#control;
    if (!appId || !control) {
      if (this.#inner instanceof DefaultMediaPlayer) return this.#inner;
      const opened = await openReceiver(this.#session, { logger: this.#logger });
      return this.#use(opened.kind === 'default' ? opened.player : new DefaultMediaPlayer(this.#session));
    }
    // Our app already runs and its page is on the channel (also after a restart of ours): drive it as it is.
    const running = (await this.#session.getStatus()).applications?.some((app) => app.appId === appId) ?? false;
    if (running && this.#receiverConnected()) return this.#use(this.#receiverPlayer(control));
    const joined = this.#waitForReceiver(control.hub);
    try {
      const opened = await openReceiver(this.#session, {
        appId,
        handover: { url: control.url(), token: control.receiverTokens.issue(this.id), device: this.id, volume: this.#deviceVolume() },
        logger: this.#logger,
      });
      if (opened.kind === 'default') return this.#use(this.#inner instanceof DefaultMediaPlayer ? this.#inner : opened.player);
      await joined.promise;
      this.#logger.debug(`${this.name}: receiver app ${appId} joined the control channel`);
      return this.#use(this.#receiverPlayer(control));
    } finally {
      joined.cancel();
    }
  }

  /** The device's volume as its last RECEIVER_STATUS said: the page learns it from the hand-over, CAF tells it only of changes. */
  #deviceVolume(): { level: number; muted: boolean } | undefined {
    const { level, muted } = this.#session.receiverStatus.volume ?? {};
    return typeof level === 'number' && typeof muted === 'boolean' ? { level, muted } : undefined;
  }

  #receiverPlayer(control: ReceiverAppLink): ReceiverPlayer {
    return this.#inner instanceof ReceiverPlayer ? this.#inner : new ReceiverPlayer(control.hub, this.id, { logger: this.#logger });
  }

  #use(player: ReceiverPlayer | DefaultMediaPlayer): Player {
    if (player === this.#inner) return player;
    this.#inner?.off('status', this.#forward);
    if (this.#inner instanceof ReceiverPlayer) this.#inner.dispose();
    this.#inner = player;
    player.on('status', this.#forward);
    return player;
  }

  /** Resolves when this device's receiver page says `hello`; rejects with a {@link LaunchError} after the deadline. Listening starts before the hand-over is sent. */
  #waitForReceiver(hub: ControlHub): { promise: Promise<void>; cancel(): void } {
    let cancel = (): void => {};
    const promise = new Promise<void>((resolve, reject) => {
      const onUp = (device: string): void => {
        if (device !== this.id) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new LaunchError(this.#appId ?? '', `the receiver page did not join the control channel within ${this.#receiverTimeoutMs} ms (can the device reach ${this.#control?.url() ?? 'it'}?)`));
      }, this.#receiverTimeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        hub.off('receiver-up', onUp);
      };
      cancel = () => {
        done();
        resolve();
      };
      hub.on('receiver-up', onUp);
    });
    promise.catch(() => {}); // awaited only once the launch succeeds; a launch that fails first abandons it
    return { promise, cancel };
  }
}

/** A status as the protocol carries it: absent fields left out rather than `undefined`. */
function withoutUndefined(status: PlayerStatus): PlayerStatus {
  return Object.fromEntries(Object.entries(status).filter(([, value]) => value !== undefined)) as unknown as PlayerStatus;
}
