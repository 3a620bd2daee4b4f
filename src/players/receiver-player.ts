import { EventEmitter } from 'node:events';
import { assertSubtitles, DEFAULT_PHOTO_SECONDS, offsetPosition, type CastMedia, type LoadOptions, type LoadResult, type Player, type PlayerEvents, type PlayerStatus } from '../cast/player.ts';
import { CastTimeoutError, ControlError, DeviceUnavailableError, errorMessage, LoadFailedError, NoMediaSessionError, QueueEndError } from '../errors.ts';
import { type Logger, partLogger } from '../logger.ts';
import type { ControlHub } from '../control/hub.ts';
import { positionNow, type ReceiverCommand } from '../protocol/index.ts';

/**
 * Plays on a NasCast receiver page through the control hub: a browser target, or our
 * receiver app on a Chromecast once it has connected. Status comes pushed from the
 * page; a folder plays as a queue, advancing when an item ends, after a photo has
 * shown for its time, and past an item that cannot play (with a notice).
 */
export class ReceiverPlayer extends EventEmitter<PlayerEvents> implements Player {
  /** The hub's device key (`browser:kitchen-tablet`, or a Chromecast's id). */
  readonly device: string;
  readonly #hub: ControlHub;
  readonly #logger: Logger;
  readonly #onStatus: (device: string, status: PlayerStatus) => void;
  #status: PlayerStatus = { state: 'IDLE', position: 0, volume: 1, muted: false };
  #reportedAt = Date.now();
  #queue: readonly CastMedia[] = [];
  #index = 0;
  #options: LoadOptions = {};
  #photoTimer: NodeJS.Timeout | undefined;
  #loadsInFlight = 0;

  constructor(hub: ControlHub, device: string, options: { logger?: Logger } = {}) {
    super();
    this.#hub = hub;
    this.device = device;
    this.#logger = partLogger(options.logger);
    // A page that was playing before this player was made (it is made on first use).
    const known = hub.lastStatus(device);
    if (known) this.#status = known;
    this.#onStatus = (from, status) => {
      if (from !== this.device) return;
      const previous = this.#status.state;
      this.#status = status;
      this.#reportedAt = Date.now();
      this.emit('status', status);
      // Another sender loaded media of its own (a phone, through CAF on a Chromecast): our queue no longer plays there.
      // While a load of ours is on its way, the page may still report what played before.
      if (status.media && this.#loadsInFlight === 0 && !this.#queue.some((item) => item.url === status.media?.url)) this.#forgetQueue();
      this.#followQueue(previous, status);
    };
    hub.on('status', this.#onStatus);
  }

  async load(media: CastMedia | readonly CastMedia[], options: LoadOptions = {}): Promise<LoadResult> {
    const queue = Array.isArray(media) ? (media as readonly CastMedia[]) : [media as CastMedia];
    if (queue.length === 0) throw new LoadFailedError('the playlist is empty');
    assertSubtitles(queue[Math.min(Math.max(options.startIndex ?? 0, 0), queue.length - 1)]!, options.subtitles);
    this.#stopPhotoTimer();
    this.#queue = queue;
    this.#index = Math.min(Math.max(options.startIndex ?? 0, 0), queue.length - 1);
    this.#options = options;
    const started = performance.now();
    await this.#loadCurrent(options.startAt);
    return { state: 'PLAYING', elapsedMs: performance.now() - started };
  }

  play(): Promise<void> {
    return this.#command({ type: 'play' }, 'play');
  }

  pause(): Promise<void> {
    return this.#command({ type: 'pause' }, 'pause');
  }

  async stop(): Promise<void> {
    this.#forgetQueue();
    await this.#send({ type: 'stop' });
  }

  seek(position: number): Promise<void> {
    return this.#command({ type: 'seek', position: Math.max(0, position) }, 'seek');
  }

  /** The page reports every second while playing: where it is now is known closely enough. */
  seekBy(seconds: number): Promise<void> {
    return this.seek(offsetPosition(this.status(), seconds));
  }

  setVolume(level: number): Promise<void> {
    return this.#send({ type: 'volume', level: Math.min(1, Math.max(0, level)) });
  }

  setMuted(muted: boolean): Promise<void> {
    return this.#send({ type: 'volume', muted });
  }

  async next(): Promise<void> {
    if (this.#queue.length === 0 || (this.#status.state === 'IDLE' && !this.#status.media)) throw new NoMediaSessionError('next');
    if (this.#index >= this.#queue.length - 1) throw new QueueEndError('next');
    this.#stopPhotoTimer();
    this.#index++;
    await this.#loadCurrent();
  }

  async prev(): Promise<void> {
    if (this.#queue.length === 0) throw new NoMediaSessionError('prev');
    // As on any player: back to the start of this item unless it has only just begun.
    if (this.#index === 0 || this.status().position > 5) return this.seek(0);
    this.#stopPhotoTimer();
    this.#index--;
    await this.#loadCurrent();
  }

  /** Shows the now-playing overlay on the screen (the remote's information key). */
  overlay(): Promise<void> {
    return this.#send({ type: 'overlay' });
  }

  status(): PlayerStatus {
    return { ...this.#status, position: positionNow(this.#status, this.#reportedAt) };
  }

  /** Stops following the hub's status. */
  dispose(): void {
    this.#stopPhotoTimer();
    this.#hub.off('status', this.#onStatus);
  }

  /** Moves along the queue: after an item ends, past one that failed, and after a photo's time. */
  #followQueue(previous: PlayerStatus['state'], status: PlayerStatus): void {
    const more = this.#index < this.#queue.length - 1;
    const current = this.#queue[this.#index];
    if (status.state === 'ENDED' && previous !== 'ENDED' && more) return this.#advance();
    if (status.state === 'ERROR' && previous !== 'ERROR' && more) {
      this.#logger.warn(`${this.device}: ${current?.title ?? 'an item'} cannot play (${status.error ?? 'no reason given'}); skipping to the next item`);
      return this.#advance();
    }
    if (current?.kind !== 'image' || !more || status.state !== 'PLAYING') return this.#stopPhotoTimer();
    this.#photoTimer ??= setTimeout(() => {
      this.#photoTimer = undefined;
      this.#advance();
    }, (this.#options.photoSeconds ?? DEFAULT_PHOTO_SECONDS) * 1000).unref();
  }

  #advance(): void {
    this.next().catch((error: unknown) => this.#logger.warn(`${this.device}: could not play the next item: ${errorMessage(error)}`));
  }

  #forgetQueue(): void {
    this.#stopPhotoTimer();
    this.#queue = [];
    this.#index = 0;
  }

  #stopPhotoTimer(): void {
    clearTimeout(this.#photoTimer);
    this.#photoTimer = undefined;
  }

  async #loadCurrent(startAt?: number): Promise<void> {
    const media = this.#queue[this.#index]!;
    // The page reports the new media before it answers the load.
    this.#loadsInFlight++;
    try {
      await this.#send({
        type: 'load',
        url: media.url,
        contentType: media.contentType,
        ...(media.title ? { title: media.title } : {}),
        ...(media.kind ? { kind: media.kind } : {}),
        ...(media.subtitles?.length ? { subtitles: [...media.subtitles] } : {}),
        ...(this.#options.subtitles ? { subtitle: this.#options.subtitles } : {}),
        ...(startAt ? { startAt } : {}),
        ...(media.images?.[0] ? { image: media.images[0] } : {}),
        ...(media.hlsSegmentFormat ? { hlsSegmentFormat: media.hlsSegmentFormat } : {}),
      });
    } finally {
      this.#loadsInFlight--;
    }
  }

  #command(command: ReceiverCommand, operation: string): Promise<void> {
    if (this.#status.state === 'IDLE' && !this.#status.media) return Promise.reject(new NoMediaSessionError(operation));
    return this.#send(command);
  }

  /** Sends a command and maps the hub's refusals onto the package's error classes. */
  async #send(command: ReceiverCommand): Promise<void> {
    try {
      await this.#hub.command(this.device, command);
    } catch (error) {
      if (!(error instanceof ControlError)) throw error;
      if (error.code === 'DEVICE_OFFLINE') throw new DeviceUnavailableError(`${this.device}: ${error.message}`, { cause: error });
      if (error.code === 'TIMEOUT') throw new CastTimeoutError(command.type, this.#hub.receiverTimeoutMs);
      if (command.type === 'load') throw new LoadFailedError(error.message);
      throw error;
    }
  }
}
