import type { DeviceModel } from '../media/device-models.ts';
import { checkMediaUrl } from './fetch-check.ts';

/** The `media` object of a LOAD, as a sender sends it. */
export interface CastMediaInfo {
  contentId: string;
  contentType?: string;
  streamType?: string;
  duration?: number;
  metadata?: Record<string, unknown>;
  tracks?: unknown[];
  [field: string]: unknown;
}

/** One entry of the playback queue. */
interface QueueItem {
  readonly itemId: number;
  readonly media: CastMediaInfo;
  readonly startTime: number;
}

export type PlayerState = 'IDLE' | 'BUFFERING' | 'PLAYING' | 'PAUSED';

/** A MEDIA_STATUS entry, as the Default Media Receiver reports it. */
export interface MediaStatusEntry {
  mediaSessionId: number;
  playbackRate: number;
  playerState: PlayerState;
  idleReason?: 'FINISHED' | 'CANCELLED' | 'ERROR' | 'INTERRUPTED';
  currentTime: number;
  supportedMediaCommands: number;
  volume: { level: number; muted: boolean };
  media: CastMediaInfo;
  /** The text tracks shown (`trackId`s of `media.tracks`). */
  activeTrackIds: number[];
  currentItemId: number;
  items: Array<{ itemId: number; media: CastMediaInfo }>;
  repeatMode: 'REPEAT_OFF';
}

/** How a queue change ended: loaded, or refused with the reason a LOAD_FAILED carries. */
export type LoadOutcome = { ok: true } | { ok: false; reason: string };

/** PAUSE, SEEK, STREAM_VOLUME, STREAM_MUTE, QUEUE_NEXT, QUEUE_PREV. */
const SUPPORTED_COMMANDS = 1 | 2 | 4 | 8 | 64 | 128;

/**
 * The Default Media Receiver's player: a queue of items, a state and a playback
 * clock. Each item is fetched with a real `Range: bytes=0-` request before it
 * counts as loaded, as a device does; when an item's duration is known the clock
 * ends it and the queue moves on.
 */
export class MediaPlayback {
  readonly #volume: () => { level: number; muted: boolean };
  readonly #changed: () => void;
  /** A pending "fail the next load" fault's reason, consumed by the load it fails. */
  readonly #takeLoadFailure: () => string | undefined;
  #mediaSessionId = 0;
  #nextItemId = 1;
  #items: QueueItem[] = [];
  #index = -1;
  #state: PlayerState = 'IDLE';
  #idleReason: MediaStatusEntry['idleReason'];
  /** Position at `#since`; while playing, the clock adds the time since. */
  #position = 0;
  #since = 0;
  #endTimer: NodeJS.Timeout | undefined;
  #activeTrackIds: number[] = [];

  // What the device decodes (the media truth: see fetch-check.ts).
  readonly #model: DeviceModel;

  constructor(options: { model: DeviceModel; volume: () => { level: number; muted: boolean }; changed: () => void; takeLoadFailure: () => string | undefined }) {
    this.#model = options.model;
    this.#volume = options.volume;
    this.#changed = options.changed;
    this.#takeLoadFailure = options.takeLoadFailure;
  }

  /** The current media session, or 0 when nothing was ever loaded. */
  get mediaSessionId(): number {
    return this.#mediaSessionId;
  }

  get state(): PlayerState {
    return this.#state;
  }

  /** Replaces the queue and loads `items[startIndex]` (LOAD is a queue of one). */
  async load(items: ReadonlyArray<{ media: CastMediaInfo; startTime?: number }>, startIndex: number, autoplay: boolean, activeTrackIds: readonly number[] = []): Promise<LoadOutcome> {
    if (items.length === 0 || startIndex < 0 || startIndex >= items.length) return { ok: false, reason: 'INVALID_PARAMS' };
    this.#stopClock();
    this.#activeTrackIds = [...activeTrackIds];
    this.#items = items.map((item) => ({ itemId: this.#nextItemId++, media: item.media, startTime: item.startTime ?? 0 }));
    this.#mediaSessionId++;
    return this.#loadItem(startIndex, autoplay, this.#items[startIndex]!.startTime);
  }

  /** Moves `by` items along the queue (QUEUE_UPDATE jump, QUEUE_NEXT, QUEUE_PREV). */
  async jump(by: number): Promise<LoadOutcome> {
    const target = this.#index + by;
    if (target < 0 || target >= this.#items.length) return { ok: false, reason: 'INVALID_PARAMS' };
    this.#stopClock();
    return this.#loadItem(target, true, 0);
  }

  play(): void {
    if (this.#state !== 'PAUSED' && this.#state !== 'BUFFERING') return;
    this.#position = this.position();
    this.#state = 'PLAYING';
    this.#since = Date.now();
    this.#armEnd();
  }

  pause(): void {
    if (this.#state !== 'PLAYING' && this.#state !== 'BUFFERING') return;
    this.#position = this.position();
    this.#stopClock();
    this.#state = 'PAUSED';
  }

  seek(seconds: number): void {
    const duration = this.#current()?.media.duration;
    this.#position = Math.max(0, duration === undefined ? seconds : Math.min(seconds, duration));
    this.#since = Date.now();
    if (this.#state === 'PLAYING') this.#armEnd();
  }

  /** EDIT_TRACKS_INFO: which text tracks are shown; ids the media does not have are refused. */
  setActiveTracks(trackIds: readonly number[]): boolean {
    const known = new Set((this.#current()?.media.tracks ?? []).map((track) => (track as { trackId?: unknown }).trackId));
    if (!trackIds.every((id) => known.has(id))) return false;
    this.#activeTrackIds = [...trackIds];
    return true;
  }

  stop(): void {
    this.#stopClock();
    this.#position = 0;
    this.#state = 'IDLE';
    this.#idleReason = 'CANCELLED';
  }

  /** The playback clock, in seconds. */
  position(): number {
    if (this.#state !== 'PLAYING') return this.#position;
    const position = this.#position + (Date.now() - this.#since) / 1000;
    const duration = this.#current()?.media.duration;
    return duration === undefined ? position : Math.min(position, duration);
  }

  /** The MEDIA_STATUS list: empty before the first load. */
  status(): MediaStatusEntry[] {
    const item = this.#current();
    if (!item || this.#mediaSessionId === 0) return [];
    return [
      {
        mediaSessionId: this.#mediaSessionId,
        playbackRate: 1,
        playerState: this.#state,
        ...(this.#state === 'IDLE' && this.#idleReason ? { idleReason: this.#idleReason } : {}),
        currentTime: this.position(),
        supportedMediaCommands: SUPPORTED_COMMANDS,
        volume: this.#volume(),
        media: item.media,
        activeTrackIds: this.#activeTrackIds,
        currentItemId: item.itemId,
        items: this.#items.map(({ itemId, media }) => ({ itemId, media })),
        repeatMode: 'REPEAT_OFF',
      },
    ];
  }

  /** Stops the clock for good (the app is closing). */
  close(): void {
    this.#stopClock();
    this.#items = [];
    this.#index = -1;
    this.#state = 'IDLE';
  }

  #current(): QueueItem | undefined {
    return this.#items[this.#index];
  }

  async #loadItem(index: number, autoplay: boolean, startTime: number): Promise<LoadOutcome> {
    const item = this.#items[index]!;
    this.#index = index;
    this.#state = 'BUFFERING';
    this.#idleReason = undefined;
    this.#position = startTime;
    const session = this.#mediaSessionId;
    const forced = this.#takeLoadFailure();
    const check = forced === undefined ? await checkMediaUrl(item.media.contentId, item.media.contentType) : { ok: false as const, reason: forced };
    // A newer load or a stop came while this one was fetching: it has the last word.
    if (session !== this.#mediaSessionId || this.#index !== index || this.#state !== 'BUFFERING') return { ok: false, reason: 'LOAD_CANCELLED' };
    if (!check.ok) {
      this.#state = 'IDLE';
      this.#idleReason = 'ERROR';
      return check;
    }
    this.#state = autoplay ? 'PLAYING' : 'PAUSED';
    this.#since = Date.now();
    if (autoplay) this.#armEnd();
    return { ok: true };
  }

  #armEnd(): void {
    clearTimeout(this.#endTimer);
    const duration = this.#current()?.media.duration;
    if (duration === undefined) return;
    const left = Math.max(0, duration - this.position());
    this.#endTimer = setTimeout(() => this.#ended(), left * 1000);
    this.#endTimer.unref();
  }

  #ended(): void {
    this.#position = this.position();
    if (this.#index + 1 < this.#items.length) {
      void this.#loadItem(this.#index + 1, true, 0).then(() => this.#changed());
      this.#changed();
      return;
    }
    this.#state = 'IDLE';
    this.#idleReason = 'FINISHED';
    this.#changed();
  }

  #stopClock(): void {
    clearTimeout(this.#endTimer);
    this.#endTimer = undefined;
  }
}
