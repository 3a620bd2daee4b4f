import { DETAILED_ERROR_CODES as CODES, detailedErrorCode } from '../cast/detailed-error-codes.ts';
import type { DeviceModel } from '../media/device-models.ts';
import type { Rendering } from './decoding.ts';
import { probeMedia, type MediaProbe } from './media-probe.ts';
import { statusEntry, type CastMediaInfo, type IdleReason, type MediaStatusEntry, type PlayerState } from './media-status.ts';

export type { CastMediaInfo, MediaStatusEntry, PlayerState } from './media-status.ts';

/** One entry of the playback queue, and what probing it found. */
interface QueueItem {
  readonly itemId: number;
  readonly media: CastMediaInfo;
  readonly startTime: number;
  probe?: Extract<MediaProbe, { ok: true }>;
}

/**
 * How a load ended: loaded; failed or cancelled with what the device's error message
 * carries (`detailedErrorCode`, `itemId`); or refused as a bad request (an ErrorReason).
 */
export type LoadOutcome =
  | { ok: true }
  | { ok: false; type: 'LOAD_FAILED' | 'LOAD_CANCELLED'; detailedErrorCode: number; itemId: number }
  | { ok: false; type: 'INVALID_REQUEST'; reason: 'INVALID_PARAMS' | 'END_OF_QUEUE' };

/** What a {@link MediaPlayback} needs from its app. */
export interface MediaPlaybackOptions {
  /** What the device decodes. */
  model: DeviceModel;
  /** ffprobe to probe with. Default `ffprobe`. */
  ffprobePath?: string;
  /** Deadline of each probe step. Default 10000 ms. */
  probeTimeoutMs?: number;
  /** The status changed on its own (loading, buffering, the end): broadcast it. */
  changed(): void;
  /** An error no request waits for (the queue moving on to an item that fails): `{ type: 'ERROR', detailedErrorCode, itemId }`. */
  error(payload: { type: 'ERROR'; detailedErrorCode: number; itemId: number }): void;
  /** A pending "fail the next load" fault (a DetailedErrorCode name or number), consumed. */
  takeLoadFailure(): string | number | undefined;
}

/**
 * The Default Media Receiver's player: a queue, a state and a playback clock. Each
 * item is probed as a device meets it (media-probe.ts) before it plays: IDLE with
 * `extendedStatus` LOADING, BUFFERING, then PLAYING (PAUSED without autoplay) with
 * the real duration; the clock stops at the end (IDLE, FINISHED) and seeks stay inside.
 */
export class MediaPlayback {
  readonly #options: MediaPlaybackOptions;
  #mediaSessionId = 0;
  #nextItemId = 1;
  #items: QueueItem[] = [];
  #index = -1;
  #state: PlayerState | 'LOADING' = 'IDLE';
  #idleReason: IdleReason | undefined;
  /** Position at `#since`; while playing, the clock adds the time since, times the rate. */
  #position = 0;
  #since = 0;
  #rate = 1;
  #endTimer: NodeJS.Timeout | undefined;
  #activeTrackIds: number[] = [];
  /** The stream volume: separate from the device's, which RECEIVER_STATUS carries. */
  #volume = { level: 1, muted: false };
  /** The load in flight: a newer load, a stop or close cancels it (and kills its ffprobe). */
  #loading: AbortController | undefined;

  constructor(options: MediaPlaybackOptions) {
    this.#options = options;
  }

  /** The current media session, or 0 when nothing was ever loaded. */
  get mediaSessionId(): number {
    return this.#mediaSessionId;
  }

  get state(): PlayerState {
    return this.#state === 'LOADING' ? 'IDLE' : this.#state;
  }

  /** What the device shows and plays of the current item; undefined unless an item has loaded. */
  rendering(): Rendering | undefined {
    const probe = this.#current()?.probe;
    return probe && this.#idleReason !== 'ERROR' ? { ...probe.rendering, reasons: [...probe.rendering.reasons] } : undefined;
  }

  /** Replaces the queue and loads `items[startIndex]` (LOAD is a queue of one), in a new media session. */
  async load(items: ReadonlyArray<{ media: CastMediaInfo; startTime?: number }>, startIndex: number, autoplay: boolean, activeTrackIds: readonly number[] = []): Promise<LoadOutcome> {
    if (items.length === 0 || startIndex < 0 || startIndex >= items.length) return { ok: false, type: 'INVALID_REQUEST', reason: 'INVALID_PARAMS' };
    this.#stopClock();
    this.#activeTrackIds = [...activeTrackIds];
    this.#items = items.map((item) => ({ itemId: this.#nextItemId++, media: item.media, startTime: item.startTime ?? 0 }));
    this.#mediaSessionId++;
    return this.#loadItem(startIndex, autoplay, this.#items[startIndex]!.startTime);
  }

  /** Moves `by` items along the queue (QUEUE_UPDATE jump, QUEUE_NEXT, QUEUE_PREV). */
  async jump(by: number): Promise<LoadOutcome> {
    const target = this.#index + by;
    if (target < 0 || target >= this.#items.length) return { ok: false, type: 'INVALID_REQUEST', reason: 'END_OF_QUEUE' };
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

  /** Seeks to `seconds`, kept inside [0, duration] as the media element keeps it; PLAYING at the end ends. */
  seek(seconds: number, resume?: 'PLAYBACK_START' | 'PLAYBACK_PAUSE'): void {
    const duration = this.#duration();
    this.#position = Math.max(0, duration === undefined ? seconds : Math.min(seconds, duration));
    this.#since = Date.now();
    if (resume === 'PLAYBACK_PAUSE') this.pause();
    else if (resume === 'PLAYBACK_START') this.play();
    if (this.#state === 'PLAYING') this.#armEnd();
  }

  /** SET_PLAYBACK_RATE: the media element's range; false for a rate outside it. */
  setRate(rate: number): boolean {
    if (!Number.isFinite(rate) || rate < 0.0625 || rate > 16) return false;
    this.#position = this.position();
    this.#since = Date.now();
    this.#rate = rate;
    if (this.#state === 'PLAYING') this.#armEnd();
    return true;
  }

  /** SET_VOLUME on the media namespace: the stream's volume; false unless it sets a level in [0, 1] or a muted flag. */
  setVolume(volume: { level?: unknown; muted?: unknown }): boolean {
    const level = typeof volume.level === 'number' && volume.level >= 0 && volume.level <= 1 ? volume.level : undefined;
    const muted = typeof volume.muted === 'boolean' ? volume.muted : undefined;
    if ((level === undefined && muted === undefined) || (volume.level !== undefined && level === undefined)) return false;
    this.#volume = { level: level ?? this.#volume.level, muted: muted ?? this.#volume.muted };
    return true;
  }

  /** EDIT_TRACKS_INFO: which text tracks are shown; ids the media does not have are refused. */
  setActiveTracks(trackIds: readonly number[]): boolean {
    const known = new Set((this.#current()?.media.tracks ?? []).map((track) => (track as { trackId?: unknown }).trackId));
    if (!trackIds.every((id) => known.has(id))) return false;
    this.#activeTrackIds = [...trackIds];
    return true;
  }

  stop(): void {
    this.#cancelLoading();
    this.#stopClock();
    this.#position = 0;
    this.#state = 'IDLE';
    this.#idleReason = 'CANCELLED';
  }

  /** The playback clock, in seconds, never past the duration. */
  position(): number {
    if (this.#state !== 'PLAYING') return this.#position;
    const position = this.#position + ((Date.now() - this.#since) / 1000) * this.#rate;
    const duration = this.#duration();
    return duration === undefined ? position : Math.min(position, duration);
  }

  /** The MEDIA_STATUS list: empty before the first load. */
  status(): MediaStatusEntry[] {
    const item = this.#current();
    if (!item || this.#mediaSessionId === 0) return [];
    const duration = item.probe?.duration;
    const media = duration === undefined ? item.media : { ...item.media, duration };
    return [
      statusEntry({
        mediaSessionId: this.#mediaSessionId,
        state: this.#state,
        idleReason: this.#idleReason,
        currentTime: this.position(),
        playbackRate: this.#rate,
        volume: this.#volume,
        media,
        activeTrackIds: this.#activeTrackIds,
        currentItemId: item.itemId,
        items: this.#items.map(({ itemId, media }) => ({ itemId, media })),
      }),
    ];
  }

  /** Stops the clock and any probe for good (the app is closing). */
  close(): void {
    this.#cancelLoading();
    this.#stopClock();
    this.#items = [];
    this.#index = -1;
    this.#state = 'IDLE';
  }

  #current(): QueueItem | undefined {
    return this.#items[this.#index];
  }

  #duration(): number | undefined {
    return this.#current()?.probe?.duration;
  }

  async #loadItem(index: number, autoplay: boolean, startTime: number): Promise<LoadOutcome> {
    this.#cancelLoading();
    const loading = new AbortController();
    this.#loading = loading;
    const item = this.#items[index]!;
    item.probe = undefined;
    this.#index = index;
    this.#state = 'LOADING';
    this.#idleReason = undefined;
    this.#position = 0;
    this.#rate = 1;
    this.#options.changed();
    const probe = await this.#probe(item, loading.signal);
    // A newer load, a stop or close came while this one was probing: it has the last word.
    if (this.#loading !== loading) return { ok: false, type: 'LOAD_CANCELLED', detailedErrorCode: CODES.LOAD_INTERRUPTED, itemId: item.itemId };
    this.#loading = undefined;
    if (!probe.ok) {
      this.#state = 'IDLE';
      this.#idleReason = 'ERROR';
      return { ok: false, type: 'LOAD_FAILED', detailedErrorCode: probe.code, itemId: item.itemId };
    }
    item.probe = probe;
    // BUFFERING while the element fills its buffer, then PLAYING (or PAUSED without autoplay).
    this.#state = 'BUFFERING';
    this.seek(startTime);
    this.#options.changed();
    this.#state = autoplay ? 'PLAYING' : 'PAUSED';
    this.#since = Date.now();
    if (autoplay) this.#armEnd();
    return { ok: true };
  }

  async #probe(item: QueueItem, signal: AbortSignal): Promise<MediaProbe> {
    const forced = this.#options.takeLoadFailure();
    if (forced !== undefined) return { ok: false, code: detailedErrorCode(forced) ?? CODES.LOAD_FAILED, why: 'the failNextLoad fault' };
    const { contentId, contentType } = item.media;
    return probeMedia(contentId, contentType, {
      model: this.#options.model,
      ffprobePath: this.#options.ffprobePath ?? 'ffprobe',
      timeoutMs: this.#options.probeTimeoutMs ?? 10_000,
      signal,
    });
  }

  #armEnd(): void {
    clearTimeout(this.#endTimer);
    const duration = this.#duration();
    if (duration === undefined) return;
    const left = Math.max(0, duration - this.position()) / this.#rate;
    this.#endTimer = setTimeout(() => this.#ended(), left * 1000);
    this.#endTimer.unref();
  }

  #ended(): void {
    this.#position = this.position();
    this.#stopClock();
    if (this.#index + 1 < this.#items.length) {
      void this.#loadItem(this.#index + 1, true, 0).then((outcome) => {
        if (!outcome.ok && outcome.type === 'LOAD_FAILED') this.#options.error({ type: 'ERROR', detailedErrorCode: outcome.detailedErrorCode, itemId: outcome.itemId });
        if (outcome.ok || outcome.type === 'LOAD_FAILED') this.#options.changed();
      });
      return;
    }
    this.#state = 'IDLE';
    this.#idleReason = 'FINISHED';
    this.#options.changed();
  }

  #cancelLoading(): void {
    this.#loading?.abort();
    this.#loading = undefined;
  }

  #stopClock(): void {
    clearTimeout(this.#endTimer);
    this.#endTimer = undefined;
  }
}
