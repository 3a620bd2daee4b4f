import { EventEmitter } from 'node:events';
import { type CastMedia, ConfigError, ControlError, DeviceUnavailableError, type Logger, NoMediaSessionError, type Player, type PlayerStatus, startOf } from '../api.ts';
import type { Favourite } from './config.ts';

/** A player, with what Chromecasts and receiver pages add: closing the app, the now-playing overlay. */
export type RemotePlayer = Player & { connect?(): Promise<void>; quit?(): Promise<void>; overlay?(): Promise<void> };

/** How a device's accessories reach it: the platform gives one per device. */
export interface DeviceRemote {
  /** The device's player; rejects when the device is unknown or offline. */
  player(): Promise<RemotePlayer>;
  /** What a favourite plays: a file, a folder's items (a playlist) or a URL; or why it has nothing to play now. */
  resolve(favourite: Favourite): Promise<CastMedia | readonly CastMedia[] | NothingToPlay>;
}

/** A favourite with nothing to play at the moment (a series finished, a folder gone): why, in words. */
export interface NothingToPlay {
  readonly nothing: string;
}

/** Options of {@link DeviceController}. */
export interface DeviceControllerOptions {
  readonly id: string;
  readonly name: string;
  readonly inputs: readonly Favourite[];
  readonly remote: DeviceRemote;
  readonly logger: Logger;
  /** The input played last (1-based identifier), remembered between starts. */
  readonly lastInput?: number;
  /** Called when the input changes, to remember it. */
  readonly onInput?: (identifier: number) => void;
}

/** Events of {@link DeviceController}. */
export interface DeviceControllerEvents {
  /** Status, input or reachability changed: accessories update their characteristics. */
  change: [];
}

/** Options of {@link DeviceController.playInput}. */
export interface PlayInputOptions {
  /** Play a folder's items in random order. */
  readonly shuffle?: boolean;
  /** Set this volume (0–100) first. */
  readonly volume?: number;
}

const ACTIVE_STATES: ReadonlySet<PlayerStatus['state']> = new Set(['LOADING', 'BUFFERING', 'PLAYING', 'PAUSED']);

/**
 * One device as its accessories see it: the last pushed status (so `onGet` answers at
 * once), reachability, the current input, and the commands the Television, the
 * speaker, the volume accessory and the scene switches send. It knows nothing of HAP.
 */
export class DeviceController extends EventEmitter<DeviceControllerEvents> {
  readonly id: string;
  readonly name: string;
  readonly #remote: DeviceRemote;
  readonly #logger: Logger;
  readonly #onInput: ((identifier: number) => void) | undefined;
  #inputs: readonly Favourite[];
  #online = false;
  #status: PlayerStatus = { state: 'IDLE', position: 0, volume: 1, muted: false };
  #statusAt = performance.now();
  #input: number;
  /** Where to resume: the item and position last seen playing, and the input it came from. */
  #resume: { input: number; url: string; position: number } | undefined;
  #queue: readonly CastMedia[] = [];
  /** Loads started and not yet answered: the TV counts as on (and loading) meanwhile. */
  #starting = 0;

  constructor(options: DeviceControllerOptions) {
    super();
    this.id = options.id;
    this.name = options.name;
    this.#remote = options.remote;
    this.#logger = options.logger;
    this.#onInput = options.onInput;
    this.#inputs = options.inputs;
    this.#input = options.lastInput !== undefined && options.lastInput <= options.inputs.length ? options.lastInput : 0;
  }

  get online(): boolean {
    return this.#online;
  }

  get status(): PlayerStatus {
    return this.#status;
  }

  get inputs(): readonly Favourite[] {
    return this.#inputs;
  }

  /** The input playing, or played last (1-based; 0 before any). */
  get input(): number {
    return this.#input;
  }

  /** Something is loaded (playing, paused or on its way), or a load of ours is under way. */
  get active(): boolean {
    return this.#starting > 0 || ACTIVE_STATES.has(this.#status.state);
  }

  /** A load of ours is under way: until the device answers it, what it reports is what it played before. */
  get starting(): boolean {
    return this.#starting > 0;
  }

  /** The volume, 0–100. */
  get volume(): number {
    return Math.round(this.#status.volume * 100);
  }

  setOnline(online: boolean): void {
    if (online === this.#online) return;
    this.#online = online;
    this.emit('change');
  }

  /** A pushed status from the device. */
  update(status: PlayerStatus): void {
    this.#status = status;
    this.#statusAt = performance.now();
    if (status.media && (status.state === 'PLAYING' || status.state === 'PAUSED') && this.#input > 0) {
      this.#resume = { input: this.#input, url: status.media.url, position: status.position };
    }
    if (status.state === 'ENDED' && this.#resume && this.#queue.at(-1)?.url === status.media?.url) this.#resume = undefined;
    this.emit('change');
  }

  /**
   * Connects to the device (a Chromecast keeps its Cast connection and heartbeat from
   * then on, so losing it shows at once) and takes its own status: volume, what plays.
   * Later status is pushed.
   */
  async sync(): Promise<void> {
    const player = await this.#player();
    await player.connect?.();
    this.update(player.status());
  }

  setInputs(inputs: readonly Favourite[]): void {
    this.#inputs = inputs;
    if (this.#input > inputs.length) this.#input = 0;
    this.emit('change');
  }

  /** Resumes what was paused, or the last media where it stopped, or plays the first input. */
  async turnOn(): Promise<void> {
    this.#assertOnline();
    if (this.#status.state === 'PAUSED') return this.play();
    if (this.active) return;
    const input = this.#input || 1;
    if (this.#inputs.length === 0) throw new ConfigError(`${this.name} has no inputs to play: add favourites in the plugin's settings`);
    await this.playInput(input, { resumeAt: this.#resume?.input === input ? this.#resume : undefined });
  }

  /** Closes the app on the TV (a browser target stops). */
  turnOff(): Promise<void> {
    return this.#command((player) => (player.quit ? player.quit() : player.stop()));
  }

  /**
   * Plays the favourite with this identifier (1-based), as a playlist when it is a
   * folder. One with nothing to play now (a series finished) is a log line, and the TV
   * keeps its input and what it was doing.
   */
  async playInput(identifier: number, options: PlayInputOptions & { resumeAt?: { url: string; position: number } | undefined } = {}): Promise<void> {
    this.#assertOnline();
    const favourite = this.#inputs[identifier - 1];
    if (!favourite) throw new ConfigError(`${this.name} has no input ${identifier} (it has ${this.#inputs.length})`);
    // The input already on: the Home app picks it again when it turns the TV on. It plays on.
    if (identifier === this.#input && this.active && !options.shuffle) {
      if (options.volume !== undefined) await this.setVolume(options.volume);
      if (this.#status.state === 'PAUSED') await this.play();
      return;
    }
    const previous = this.#input;
    this.#starting++;
    this.#input = identifier;
    this.emit('change');
    try {
      const resolved = await this.#remote.resolve(favourite);
      if (isNothing(resolved)) {
        // Picked, and nothing to play: the TV keeps the input and the state it had.
        if (this.#input === identifier) this.#input = previous;
        this.#logger.warn(`${this.name}: ${favourite.name} has nothing to play (${resolved.nothing}); the TV stays as it was`);
        return;
      }
      if (identifier !== previous) this.#onInput?.(identifier);
      await this.#load(resolved, options);
    } finally {
      this.#starting--;
      this.emit('change');
    }
  }

  async #load(resolved: CastMedia | readonly CastMedia[], options: PlayInputOptions & { resumeAt?: { url: string; position: number } | undefined }): Promise<void> {
    const queue = isSingle(resolved) ? [resolved] : [...resolved];
    if (options.shuffle) shuffle(queue);
    this.#queue = queue;
    const player = await this.#player();
    if (options.volume !== undefined) await player.setVolume(options.volume / 100);
    const startIndex = options.resumeAt ? Math.max(0, queue.findIndex((item) => item.url === options.resumeAt?.url)) : 0;
    const resumed = options.resumeAt && queue[startIndex]?.url === options.resumeAt.url ? options.resumeAt.position : undefined;
    // Else a library item started before goes on where it was left, as every load of one does.
    await player.load(queue, { startIndex, ...startOf(resolved, resumed) });
  }

  /** Play/pause on the remote: pauses what plays, resumes what is paused, turns on what is off. */
  async togglePlayPause(): Promise<void> {
    this.#assertOnline();
    const state = this.#status.state;
    if (state === 'PLAYING' || state === 'BUFFERING' || state === 'LOADING') return this.pause();
    if (state === 'PAUSED') return this.play();
    return this.turnOn();
  }

  pause(): Promise<void> {
    return this.#command((player) => player.pause());
  }

  play(): Promise<void> {
    return this.#command((player) => player.play());
  }

  stop(): Promise<void> {
    return this.#command((player) => player.stop());
  }

  /** Seeks by `seconds` from where playback is now (estimated from the last status). */
  async seekBy(seconds: number): Promise<void> {
    this.#assertOnline();
    if (!this.active) throw new NoMediaSessionError('seek');
    const elapsed = this.#status.state === 'PLAYING' ? (performance.now() - this.#statusAt) / 1000 : 0;
    const duration = this.#status.duration;
    let target = Math.max(0, this.#status.position + elapsed + seconds);
    if (duration !== undefined && duration > 0) target = Math.min(target, Math.max(0, duration - 1));
    await (await this.#player()).seek(target);
  }

  next(): Promise<void> {
    return this.#command((player) => player.next());
  }

  prev(): Promise<void> {
    return this.#command((player) => player.prev());
  }

  /** Shows the now-playing overlay on the receiver page (the Default Media Receiver has none). */
  overlay(): Promise<void> {
    return this.#command(async (player) => {
      if (player.overlay) await player.overlay();
      else this.#logger.debug(`${this.name}: the Default Media Receiver has no now-playing overlay`);
    });
  }

  /** 0–100. */
  setVolume(percent: number): Promise<void> {
    return this.#command((player) => player.setVolume(Math.min(100, Math.max(0, percent)) / 100));
  }

  /** Steps the volume by `percent` (the remote's volume buttons). */
  stepVolume(percent: number): Promise<void> {
    return this.setVolume(this.volume + percent);
  }

  setMuted(muted: boolean): Promise<void> {
    return this.#command((player) => player.setMuted(muted));
  }

  async #command(action: (player: RemotePlayer) => Promise<void>): Promise<void> {
    this.#assertOnline();
    await action(await this.#player());
  }

  #assertOnline(): void {
    if (!this.#online) throw new DeviceUnavailableError(`${this.name} is offline`);
  }

  async #player(): Promise<RemotePlayer> {
    try {
      return await this.#remote.player();
    } catch (error) {
      // The directory says DEVICE_OFFLINE or UNKNOWN_DEVICE for a device that has gone away.
      if (error instanceof ControlError) throw new DeviceUnavailableError(error.message, { cause: error });
      throw error;
    }
  }
}

function isNothing(resolved: CastMedia | readonly CastMedia[] | NothingToPlay): resolved is NothingToPlay {
  return !Array.isArray(resolved) && 'nothing' in resolved;
}

function isSingle(resolved: CastMedia | readonly CastMedia[]): resolved is CastMedia {
  return !Array.isArray(resolved);
}

function shuffle(items: unknown[]): void {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
}
