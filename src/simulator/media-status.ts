// The Default Media Receiver's MEDIA_STATUS, as real devices send it (captures in
// research/issue20-media.md §4 and issue20-senders.md §5.3).

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

export type PlayerState = 'IDLE' | 'BUFFERING' | 'PLAYING' | 'PAUSED';

export type IdleReason = 'FINISHED' | 'CANCELLED' | 'ERROR' | 'INTERRUPTED';

/** A MEDIA_STATUS entry. */
export interface MediaStatusEntry {
  mediaSessionId: number;
  playbackRate: number;
  playerState: PlayerState;
  idleReason?: IdleReason;
  currentTime: number;
  supportedMediaCommands: number;
  /** The stream volume (SET_VOLUME on the media namespace), not the device's. */
  volume: { level: number; muted: boolean };
  media?: CastMediaInfo;
  /** The text tracks shown (`trackId`s of `media.tracks`). */
  activeTrackIds?: number[];
  currentItemId: number;
  items?: Array<{ itemId: number; media: CastMediaInfo }>;
  repeatMode?: 'REPEAT_OFF';
  /** While an item loads: `playerState` is IDLE, and this says LOADING. */
  extendedStatus?: { playerState: 'LOADING'; media: CastMediaInfo; mediaSessionId: number };
}

/**
 * CAF's `Command` bits the DMR claims: ALL_BASIC_MEDIA (12303: PAUSE 1, SEEK 2,
 * STREAM_VOLUME 4, STREAM_MUTE 8, EDIT_TRACKS 4096, PLAYBACK_RATE 8192), as devices
 * send it, plus the queue moves we answer (QUEUE_NEXT 64, QUEUE_PREV 128).
 */
export const SUPPORTED_MEDIA_COMMANDS = 12303 | 64 | 128;

/** What the entry is built from. */
export interface EntryParts {
  mediaSessionId: number;
  state: PlayerState | 'LOADING';
  idleReason: IdleReason | undefined;
  currentTime: number;
  playbackRate: number;
  volume: { level: number; muted: boolean };
  media: CastMediaInfo;
  activeTrackIds: number[];
  currentItemId: number;
  items: Array<{ itemId: number; media: CastMediaInfo }>;
}

/**
 * One entry: while loading, IDLE with `extendedStatus` LOADING; after an error, IDLE with
 * `idleReason: ERROR` and no media (as the captured LOAD_FAILED sequence shows).
 */
export function statusEntry(parts: EntryParts): MediaStatusEntry {
  const base = {
    mediaSessionId: parts.mediaSessionId,
    playbackRate: parts.playbackRate,
    currentTime: parts.currentTime,
    supportedMediaCommands: SUPPORTED_MEDIA_COMMANDS,
    volume: { ...parts.volume },
    currentItemId: parts.currentItemId,
  };
  if (parts.state === 'IDLE' && parts.idleReason === 'ERROR') return { ...base, playerState: 'IDLE', idleReason: 'ERROR' };
  const shown = {
    ...base,
    activeTrackIds: parts.activeTrackIds,
    media: parts.media,
    items: parts.items,
    repeatMode: 'REPEAT_OFF' as const,
  };
  if (parts.state === 'LOADING') return { ...shown, playerState: 'IDLE', extendedStatus: { playerState: 'LOADING', media: parts.media, mediaSessionId: parts.mediaSessionId } };
  return { ...shown, playerState: parts.state, ...(parts.state === 'IDLE' && parts.idleReason ? { idleReason: parts.idleReason } : {}) };
}
