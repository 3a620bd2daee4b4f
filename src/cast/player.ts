import { InvalidArgumentError } from '../errors.ts';

/** Playback state, the same for every kind of receiver. */
export type PlaybackState = 'IDLE' | 'LOADING' | 'BUFFERING' | 'PLAYING' | 'PAUSED' | 'ENDED' | 'ERROR';

/** Something to play: a URL the device can fetch with no header (a signed NasCast URL, or a probed external one). */
export interface CastMedia {
  url: string;
  contentType: string;
  title?: string;
  /** Seconds, when known. */
  duration?: number;
  kind?: 'video' | 'audio' | 'image';
  /** WebVTT tracks the device can fetch. */
  subtitles?: ReadonlyArray<{ lang: string; url: string }>;
  /** What the item is, for the device's and phones' display (the Default Media Receiver's metadata types). */
  metadata?: CastMetadata;
  /** Pictures of it (a cover, a poster, a frame): absolute URLs a device can fetch, largest first. */
  images?: readonly string[];
  /**
   * Where the library says this item was left (seconds), if it was started and not
   * finished: a load with no `startAt` starts there (`startAt: 0` starts over).
   */
  resumeFrom?: number;
  /** HLS whose segments are fragmented MP4 (a Cast receiver must be told: it assumes MPEG-TS). */
  hlsSegmentFormat?: 'fmp4';
  /** What was decided for the device it is signed for: played as it is, or converted, and why. */
  conversion?: { readonly mode: 'direct' | 'remux' | 'audio' | 'video'; readonly reasons: readonly string[] };
}

/**
 * What a phone or the Google Home app shows of an item: a film, an episode, a music
 * track or a photo, with the fields each has (all optional; `CastMedia.title` is the title).
 */
export type CastMetadata =
  | { readonly type: 'movie'; readonly subtitle?: string; readonly year?: number }
  | { readonly type: 'episode'; readonly series?: string; readonly season?: number; readonly episode?: number; readonly airDate?: string }
  | { readonly type: 'track'; readonly artist?: string; readonly album?: string; readonly albumArtist?: string; readonly track?: number; readonly disc?: number; readonly year?: number }
  | { readonly type: 'photo'; readonly taken?: string }
  | { readonly type: 'generic'; readonly subtitle?: string };

/** Options of {@link Player.load}. */
export interface LoadOptions {
  /** Start position in seconds. */
  startAt?: number;
  /** Turn on the subtitle track of this language, if the media has one. */
  subtitles?: string;
  /** Library items: the audio track of this language (`fr`, `fre`, `French`), converted for it when needed. */
  audio?: string;
  /** With a playlist: which item to start with. */
  startIndex?: number;
  /** With a playlist: how long a photo shows before the next item, in seconds. Default 8. */
  photoSeconds?: number;
}

/** How long a photo in a playlist shows before the next item, unless `LoadOptions.photoSeconds` says otherwise. */
export const DEFAULT_PHOTO_SECONDS = 8;

/** What a load ended with: the device reported PLAYING (a LOAD_FAILED rejects instead). */
export interface LoadResult {
  readonly state: PlaybackState;
  /** Milliseconds from the request to PLAYING. */
  readonly elapsedMs: number;
}

/** A snapshot of what a player is doing. */
export interface PlayerStatus {
  state: PlaybackState;
  media?: { url: string; title?: string; contentType?: string };
  /** Seconds. */
  position: number;
  duration?: number;
  /** 0 to 1. */
  volume: number;
  muted: boolean;
  /** Why the state is ERROR, or why the last load failed. */
  error?: string;
}

/** Events of a {@link Player}. */
export interface PlayerEvents {
  status: [status: PlayerStatus];
}

/**
 * The calls on one device's playback, whatever loads it: shared by {@link Player}
 * and {@link MediaPlayer}.
 */
export interface PlaybackControls {
  on(event: 'status', listener: (status: PlayerStatus) => void): this;
  off(event: 'status', listener: (status: PlayerStatus) => void): this;
  play(): Promise<void>;
  pause(): Promise<void>;
  stop(): Promise<void>;
  /** Seconds from the start. */
  seek(position: number): Promise<void>;
  /**
   * Seconds from where playback is now, back when negative; kept within the media.
   * Where the device reports only changes, it is asked where it is first.
   */
  seekBy(seconds: number): Promise<void>;
  /** 0 to 1. */
  setVolume(level: number): Promise<void>;
  setMuted(muted: boolean): Promise<void>;
  next(): Promise<void>;
  prev(): Promise<void>;
  /** The last status the device reported, its position moved on to now while playing. */
  status(): PlayerStatus;
}

/**
 * One device's playback, whatever receiver runs on it. It emits `status` on every
 * change (players may emit more events of their own, such as `online`).
 */
export interface Player extends PlaybackControls {
  once(event: 'status', listener: (status: PlayerStatus) => void): this;
  /** Loads and plays one item or a playlist; resolves once the device reports PLAYING. */
  load(media: CastMedia | readonly CastMedia[], options?: LoadOptions): Promise<LoadResult>;
}

/**
 * The calls a program makes on one device, the same whether NasCast runs in the same
 * process (`NasCast.player()`) or on another machine (`ControlClient.player()`); they
 * differ only in what `load` accepts (`What`).
 */
export interface MediaPlayer<What> extends PlaybackControls {
  /** The device's id or name, as it was asked for. */
  readonly device: string;
  /** Loads and plays; resolves once the device reports PLAYING. */
  load(what: What, options?: LoadOptions): Promise<LoadResult>;
}

/**
 * Where a seek by `seconds` from `status` lands: not before the start, and not past the
 * last second of media whose duration is known (a seek to the very end would end it).
 */
export function offsetPosition(status: Pick<PlayerStatus, 'position' | 'duration'>, seconds: number): number {
  const target = Math.max(0, status.position + seconds);
  return status.duration !== undefined && status.duration > 0 ? Math.min(target, Math.max(0, status.duration - 1)) : target;
}

/**
 * Refuses a subtitle language the item to start with does not have, saying which it
 * has: showing none, or another, would not be what was asked for.
 */
export function assertSubtitles(media: CastMedia, lang: string | undefined): void {
  if (lang === undefined) return;
  const languages = (media.subtitles ?? []).map((track) => track.lang);
  if (languages.includes(lang)) return;
  throw new InvalidArgumentError(`${media.title ?? media.url} has no subtitles in '${lang}' (${languages.length ? `it has ${languages.join(', ')}` : 'it has none'})`);
}
