import type { CastMedia, LoadOptions, LoadResult, MediaPlayer, Player, PlayerStatus } from './cast/player.ts';
import { isMediaUrl, resolvePlayable, startOf, type MediaSource } from './media/resolve.ts';
import { MediaFolder, MediaItem } from './library/model.ts';
import type { DeviceProfile } from './media/device-profile.ts';
import { trackLanguage } from './media/media-words.ts';
import type { PlaybackTarget } from './media/signed-media.ts';

/**
 * What {@link NasCastPlayer.load} plays: a library item, a library folder (its items as a
 * queue), media as a player takes it, a list of items, or a string: a media id, a
 * library path of a file or folder (`Films/Cartoons`), or an `http(s)://` URL.
 */
export type Playable = MediaItem | MediaFolder | CastMedia | string | ReadonlyArray<MediaItem | CastMedia>;

/**
 * One device's player in a running {@link NasCast}: the device's {@link Player}, with a
 * `load` that takes library items, folders, ids, paths and URLs as well as `CastMedia`.
 */
export class NasCastPlayer implements MediaPlayer<Playable> {
  readonly device: string;
  readonly #player: Player;
  readonly #media: MediaSource;
  readonly #profile: (() => DeviceProfile) | undefined;

  /** `profile` says what the device plays, asked at each load: library items it cannot play are converted for it. */
  constructor(device: string, player: Player, media: MediaSource, profile?: () => DeviceProfile) {
    this.device = device;
    this.#player = player;
    this.#media = media;
    this.#profile = profile;
  }

  // Listeners go straight to the device's player: a wrapper dropped without `off` holds nothing.
  on(event: 'status', listener: (status: PlayerStatus) => void): this {
    this.#player.on(event, listener);
    return this;
  }

  off(event: 'status', listener: (status: PlayerStatus) => void): this {
    this.#player.off(event, listener);
    return this;
  }

  /**
   * Loads and plays `what`; rejects with `ControlError` `UNKNOWN_MEDIA` for an id or
   * path not in the library. A library item started before resumes where it was left
   * unless `startAt` says otherwise (`startAt: 0`: from the start).
   */
  async load(what: Playable, options: LoadOptions = {}): Promise<LoadResult> {
    const audio = options.audio ?? this.#media.audioLanguage;
    const subtitles = options.subtitles === undefined ? undefined : trackLanguage(options.subtitles);
    const target: PlaybackTarget | undefined = this.#profile && { profile: this.#profile(), ...(audio && { audio }), ...(subtitles && { subtitles }) };
    const media = await this.#resolve(what, target);
    const rest: LoadOptions = { ...options, ...(subtitles && { subtitles }) };
    delete rest.startAt;
    delete rest.audio;
    return this.#player.load(media, { ...rest, ...startOf(media, options.startAt) });
  }

  play(): Promise<void> {
    return this.#player.play();
  }

  pause(): Promise<void> {
    return this.#player.pause();
  }

  stop(): Promise<void> {
    return this.#player.stop();
  }

  seek(position: number): Promise<void> {
    return this.#player.seek(position);
  }

  seekBy(seconds: number): Promise<void> {
    return this.#player.seekBy(seconds);
  }

  setVolume(level: number): Promise<void> {
    return this.#player.setVolume(level);
  }

  setMuted(muted: boolean): Promise<void> {
    return this.#player.setMuted(muted);
  }

  next(): Promise<void> {
    return this.#player.next();
  }

  prev(): Promise<void> {
    return this.#player.prev();
  }

  status(): PlayerStatus {
    return this.#player.status();
  }

  async #resolve(what: Playable, target: PlaybackTarget | undefined): Promise<CastMedia | CastMedia[]> {
    if (typeof what === 'string') return isMediaUrl(what) ? resolvePlayable(this.#media, undefined, what) : resolvePlayable(this.#media, what, undefined, target);
    if (what instanceof MediaItem) return resolvePlayable(this.#media, what.id, undefined, target);
    if (what instanceof MediaFolder) return resolvePlayable(this.#media, what.path, undefined, target);
    if (isMediaList(what)) return what.map((entry) => (entry instanceof MediaItem ? this.#media.castMedia(entry, target) : entry));
    return what;
  }
}

function isMediaList(what: Playable): what is ReadonlyArray<MediaItem | CastMedia> {
  return Array.isArray(what);
}
