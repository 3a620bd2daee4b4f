import { EventEmitter } from 'node:events';
import { CastProtocolError, CastTimeoutError, InvalidArgumentError, LoadFailedError, NoMediaSessionError, QueueEndError } from '../errors.ts';
import { castMetadata } from './cast-metadata.ts';
import { loadFailedError } from './load-failure.ts';
import { DEFAULT_MEDIA_RECEIVER } from './namespaces.ts';
import { positionNow } from '../protocol/position.ts';
import { assertSubtitles, offsetPosition, type CastMedia, type LoadOptions, type LoadResult, type PlaybackState, type Player, type PlayerEvents, type PlayerStatus } from './player.ts';
import type { CastSession } from './session.ts';

type Json = Record<string, unknown>;

/**
 * The {@link Player} over Google's Default Media Receiver (`CC1AD845`) and the
 * castv2 media namespace: for devices with no app id configured, or that cannot
 * launch ours.
 */
export class DefaultMediaPlayer extends EventEmitter<PlayerEvents> implements Player {
  readonly #session: CastSession;
  readonly #loadTimeoutMs: number;
  #mediaSessionId: number | undefined;
  /** While a load is out: the media session it replaces, whose late statuses must not undo LOADING. */
  #replacing: number | undefined;
  #status: PlayerStatus = { state: 'IDLE', position: 0, volume: 1, muted: false };
  /** What the last load sent: where in it the device is comes from the media URL it reports. */
  #queue: readonly CastMedia[] = [];
  /** When the device last said where it was (Date.now()). */
  #reportedAt = Date.now();

  constructor(session: CastSession, options: { loadTimeoutMs?: number } = {}) {
    super();
    this.#session = session;
    this.#loadTimeoutMs = options.loadTimeoutMs ?? 15_000;
    session.on('media-status', (entry) => this.#onMediaStatus(entry));
    session.on('receiver-status', (status) => {
      if (status.volume) this.#update({ volume: status.volume.level ?? this.#status.volume, muted: status.volume.muted ?? this.#status.muted });
    });
    session.on('app-closed', () => {
      this.#mediaSessionId = undefined;
      this.#update({ state: 'IDLE', position: 0 });
    });
  }

  status(): PlayerStatus {
    return { ...this.#status, position: positionNow(this.#status, this.#reportedAt) };
  }

  async load(media: CastMedia | readonly CastMedia[], options: LoadOptions = {}): Promise<LoadResult> {
    const started = performance.now();
    const items = Array.isArray(media) ? (media as readonly CastMedia[]) : [media as CastMedia];
    if (items.length === 0) throw new LoadFailedError('the playlist is empty');
    assertSubtitles(items[options.startIndex ?? 0] ?? items[0]!, options.subtitles);
    if (this.#session.app?.appId !== DEFAULT_MEDIA_RECEIVER) await this.#session.launch(DEFAULT_MEDIA_RECEIVER);
    this.#replacing = this.#mediaSessionId;
    this.#queue = items;
    try {
      return await this.#load(items, options, started);
    } finally {
      this.#replacing = undefined;
    }
  }

  async #load(items: readonly CastMedia[], options: LoadOptions, started: number): Promise<LoadResult> {
    const startIndex = options.startIndex ?? 0;
    const first = items[startIndex] ?? items[0]!;
    this.#reportedAt = Date.now();
    this.#update({
      state: 'LOADING',
      error: undefined,
      position: options.startAt ?? 0,
      duration: first.duration,
      media: { url: first.url, contentType: first.contentType, ...(first.title ? { title: first.title } : {}) },
    });
    const payload: Json =
      items.length === 1
        ? { type: 'LOAD', media: castMediaInfo(items[0]!), autoplay: true, currentTime: options.startAt ?? 0, activeTrackIds: activeTracks(items[0]!, options.subtitles) }
        : {
            type: 'QUEUE_LOAD',
            items: items.map((item, index) => ({ media: castMediaInfo(item), autoplay: true, startTime: index === startIndex ? (options.startAt ?? 0) : 0 })),
            startIndex,
            repeatMode: 'REPEAT_OFF',
          };
    // PLAYING may come in the reply or in a broadcast after it: listen before asking.
    const playing = this.#waitFor((state) => state === 'PLAYING', this.#loadTimeoutMs, String(payload.type));
    playing.catch(() => {}); // observed below; a failed LOAD abandons it
    const reply = await this.#session.mediaRequest(payload);
    if (reply.type === 'LOAD_FAILED' || reply.type === 'LOAD_CANCELLED') {
      const error = loadFailedError(reply);
      this.#update({ state: 'ERROR', error: error.reason });
      throw error;
    }
    if (reply.type !== 'MEDIA_STATUS') throw new CastProtocolError(`unexpected reply to ${String(payload.type)}: ${String(reply.type)}`);
    const state = await playing;
    return { state, elapsedMs: performance.now() - started };
  }

  play(): Promise<void> {
    return this.#command({ type: 'PLAY' });
  }

  pause(): Promise<void> {
    return this.#command({ type: 'PAUSE' });
  }

  stop(): Promise<void> {
    return this.#command({ type: 'STOP' });
  }

  seek(position: number): Promise<void> {
    if (!Number.isFinite(position) || position < 0) return Promise.reject(new InvalidArgumentError(`seek position must be a number of seconds ≥ 0, not ${position}`));
    return this.#command({ type: 'SEEK', currentTime: position });
  }

  /** Asks the device where it is (it reports changes, not ticks), then seeks from there. */
  async seekBy(seconds: number): Promise<void> {
    if (!Number.isFinite(seconds)) throw new InvalidArgumentError(`seek offset must be a number of seconds, not ${seconds}`);
    await this.#command({ type: 'GET_STATUS' });
    return this.seek(offsetPosition(this.status(), seconds));
  }

  async setVolume(level: number): Promise<void> {
    if (!Number.isFinite(level) || level < 0 || level > 1) throw new InvalidArgumentError(`volume must be between 0 and 1, not ${level}`);
    await this.#session.setVolume({ level });
    this.#update({ volume: level });
  }

  async setMuted(muted: boolean): Promise<void> {
    await this.#session.setVolume({ muted });
    this.#update({ muted });
  }

  next(): Promise<void> {
    return this.#jump(1);
  }

  prev(): Promise<void> {
    return this.#jump(-1);
  }

  /**
   * QUEUE_UPDATE with a jump, once it is known that there is somewhere to go: a
   * device asked to jump past its queue answers a bare `LOAD_FAILED INVALID_PARAMS`,
   * which would not tell the user what is true (nothing is loaded, or this is the end).
   */
  async #jump(by: 1 | -1): Promise<void> {
    const operation = by > 0 ? 'next' : 'prev';
    await this.#refreshSession();
    // After STOP the device keeps its media session, idle: nothing is loaded any more.
    if (this.#mediaSessionId === undefined || this.#status.state === 'IDLE') throw new NoMediaSessionError(operation);
    const index = this.#queue.findIndex((item) => item.url === this.#status.media?.url);
    if (index >= 0 && (index + by < 0 || index + by >= this.#queue.length)) throw new QueueEndError(operation);
    return this.#command({ type: 'QUEUE_UPDATE', jump: by });
  }

  /** A command on the current media session; castv2-client would throw on a null mediaSessionId, so it is checked (and fetched) first. */
  async #command(payload: Json): Promise<void> {
    const operation = String(payload.type);
    await this.#refreshSession();
    if (this.#mediaSessionId === undefined) throw new NoMediaSessionError(operation);
    const reply = await this.#session.mediaRequest({ ...payload, mediaSessionId: this.#mediaSessionId });
    if (reply.type === 'LOAD_FAILED') throw loadFailedError(reply);
    const entry = (reply.status as Json[] | undefined)?.[0];
    if (entry) this.#onMediaStatus(entry);
  }

  /** With no media session known yet (a sender that joined a playing device), asks the device for it. */
  async #refreshSession(): Promise<void> {
    if (this.#mediaSessionId !== undefined || this.#session.app?.appId !== DEFAULT_MEDIA_RECEIVER) return;
    const reply = await this.#session.mediaRequest({ type: 'GET_STATUS' });
    const entry = (reply.status as Json[] | undefined)?.[0];
    if (entry) this.#onMediaStatus(entry);
  }

  #onMediaStatus(entry: Json): void {
    if (this.#replacing !== undefined && entry.mediaSessionId === this.#replacing) return;
    if (typeof entry.mediaSessionId === 'number') this.#mediaSessionId = entry.mediaSessionId;
    if (typeof entry.currentTime === 'number') this.#reportedAt = Date.now();
    const media = entry.media as Json | undefined;
    const metadata = media?.metadata as Json | undefined;
    this.#update({
      state: playbackState(entry),
      position: typeof entry.currentTime === 'number' ? entry.currentTime : this.#status.position,
      ...(typeof media?.duration === 'number' ? { duration: media.duration } : {}),
      ...(typeof media?.contentId === 'string'
        ? { media: { url: media.contentId, ...(typeof metadata?.title === 'string' ? { title: metadata.title } : {}), ...(typeof media.contentType === 'string' ? { contentType: media.contentType } : {}) } }
        : {}),
      // The LOAD_FAILED before it said why, in words: keep them over this bare ERROR.
      ...(entry.idleReason === 'ERROR' ? { error: this.#status.state === 'ERROR' && this.#status.error ? this.#status.error : 'the device stopped with an error' } : {}),
    });
  }

  #update(change: Partial<PlayerStatus>): void {
    // `error: undefined` clears a field: keep no undefined keys in the snapshot.
    const next = Object.fromEntries(Object.entries({ ...this.#status, ...change }).filter(([, value]) => value !== undefined)) as unknown as PlayerStatus;
    // A command's reply and the device's broadcast often say the same: report a change once.
    if (JSON.stringify(next) === JSON.stringify(this.#status)) return;
    this.#status = next;
    this.emit('status', this.status());
  }

  #waitFor(accept: (state: PlaybackState) => boolean, timeoutMs: number, operation: string): Promise<PlaybackState> {
    return new Promise((resolve, reject) => {
      const onStatus = (status: PlayerStatus): void => {
        if (accept(status.state)) {
          cleanup();
          resolve(status.state);
        } else if (status.state === 'ERROR') {
          cleanup();
          reject(new LoadFailedError(status.error ?? 'the device reported an error'));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new CastTimeoutError(`${operation} (waiting for PLAYING)`, timeoutMs));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('status', onStatus);
      };
      this.on('status', onStatus);
    });
  }
}

function playbackState(entry: Json): PlaybackState {
  // While an item loads a device says IDLE, with LOADING in extendedStatus.
  if ((entry.extendedStatus as Json | undefined)?.playerState === 'LOADING') return 'LOADING';
  switch (entry.playerState) {
    case 'PLAYING':
      return 'PLAYING';
    case 'PAUSED':
      return 'PAUSED';
    case 'BUFFERING':
      return 'BUFFERING';
    case 'LOADING':
      return 'LOADING';
    default:
      return entry.idleReason === 'FINISHED' ? 'ENDED' : entry.idleReason === 'ERROR' ? 'ERROR' : 'IDLE';
  }
}

/** The LOAD `media` object: content, type, metadata (see `castMetadata`) and WebVTT text tracks. */
function castMediaInfo(media: CastMedia): Json {
  const kind = media.kind ?? (media.contentType.startsWith('audio/') ? 'audio' : media.contentType.startsWith('image/') ? 'image' : 'video');
  return {
    contentId: media.url,
    contentType: media.contentType,
    streamType: 'BUFFERED',
    ...(media.duration !== undefined ? { duration: media.duration } : {}),
    // The Default Media Receiver takes HLS segments for MPEG-TS unless told (Google: needed for HLS with MPL).
    ...(media.hlsSegmentFormat ? { hlsSegmentFormat: media.hlsSegmentFormat, hlsVideoSegmentFormat: media.hlsSegmentFormat } : {}),
    metadata: castMetadata(media, kind),
    ...(media.subtitles?.length
      ? {
          tracks: media.subtitles.map((track, index) => ({
            trackId: index + 1,
            type: 'TEXT',
            subtype: 'SUBTITLES',
            trackContentId: track.url,
            trackContentType: 'text/vtt',
            language: track.lang,
            name: track.lang,
          })),
        }
      : {}),
  };
}

function activeTracks(media: CastMedia, language: string | undefined): number[] {
  if (!language || !media.subtitles) return [];
  const index = media.subtitles.findIndex((track) => track.lang === language);
  return index === -1 ? [] : [index + 1];
}
