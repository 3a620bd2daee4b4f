import type { CastMedia, CastMetadata } from '../cast/player.ts';
import { UnplayableMediaError } from '../errors.ts';
import type { DeviceProfile } from './device-profile.ts';
import { bcp47 } from './media-words.ts';
import { planKey } from './plan-key.ts';
import { planPlayback, type PlaybackPlan } from './playback-plan.ts';
import type { ItemDetails } from '../library/library-details.ts';
import type { MediaInfo } from '../library/media-info.ts';
import type { MediaItem, SubtitleTrack } from '../library/model.ts';
import { UNREADABLE } from '../library/probe-store.ts';
import { resumePosition } from '../library/watch-history.ts';
import { namesOfItem, type MediaNames } from '../library/titles.ts';
import type { Grants } from '../signing.ts';

/** Options of {@link SignedMedia}. */
export interface SignedMediaOptions {
  /** Signs the grants (`?g=`) the media server checks. */
  grants: Grants;
  /** The server's base URL as devices reach it, asked for each URL (the LAN address may change). */
  baseUrl: () => string;
  /** How long a signed URL stays valid, in seconds. Default 48 hours. */
  grantTtl?: number;
  /** What the library knows of an item (tags, duration, a reason it cannot play); default its name only. */
  details?: (item: MediaItem) => ItemDetails;
  /**
   * Conversions: whether ffmpeg can run, and a check that one more may start (throws
   * `BusyError`). Without it a file a device cannot play is handed over as it is.
   */
  conversions?: { readonly available: () => boolean; assertRoom(key: string): void };
}

/** Who a library item is signed for: the device's profile, and the tracks asked for. */
export interface PlaybackTarget {
  readonly profile: DeviceProfile;
  /** The audio track's language (`fr`, `fre`, `French`); default the file's default track. */
  readonly audio?: string;
  /** The subtitle language that will be shown: a picture one is burned in. */
  readonly subtitles?: string;
}

/**
 * A library item as a device is told to play it: absolute URLs a Chromecast can fetch
 * without any header, each carrying its own expiring grant, for the file and for its
 * subtitles as WebVTT. Listings and `play` both sign here.
 */
export class SignedMedia {
  readonly #options: SignedMediaOptions;

  constructor(options: SignedMediaOptions) {
    this.#options = options;
  }

  /** Absolute signed URL of a media item. */
  mediaUrl(item: MediaItem): string {
    return `${this.#options.baseUrl()}/media/${item.id}?g=${this.#options.grants.sign(item.id, this.#expiry())}`;
  }

  /**
   * Absolute signed URL of an item's artwork (`small` fits 320 px, `large` 1280 px):
   * its embedded cover, a cover file beside it, a frame of a video or a photo's
   * thumbnail. Its grant opens the artwork only, never the file.
   */
  artworkUrl(item: MediaItem, size: 'small' | 'large'): string {
    return `${this.#options.baseUrl()}/artwork/${item.id}?size=${size}&g=${this.#options.grants.sign(artworkGrantSubject(item.id), this.#expiry())}`;
  }

  /** Absolute signed URL of an item converted by `plan`: its HLS master playlist. */
  streamUrl(item: MediaItem, plan: PlaybackPlan): string {
    const key = planKey(plan);
    return `${this.#options.baseUrl()}/stream/${item.id}/${key}/master.m3u8?g=${this.#options.grants.sign(streamGrantSubject(item.id, key), this.#expiry())}`;
  }

  /**
   * What `target` needs done to play `item` (see `planPlayback`): played as it is,
   * repackaged, or converted, with the reasons in words.
   */
  plan(item: MediaItem, target: PlaybackTarget, info = this.#options.details?.(item).info): PlaybackPlan {
    return planPlayback({ kind: item.kind, name: item.name }, info, target.profile, { ...(target.audio && { audio: target.audio }), ...(target.subtitles && { subtitles: target.subtitles }) });
  }

  /** Absolute signed URL of a subtitle track, served as WebVTT. */
  subtitleUrl(track: SubtitleTrack): string {
    return `${this.#options.baseUrl()}/subtitles/${track.id}.vtt?g=${this.#options.grants.sign(track.id, this.#expiry())}`;
  }

  /**
   * An item's subtitle tracks as devices take them: a language (`und` when unknown) and a
   * signed WebVTT URL. The files beside it, then (when ffmpeg can read them out) the text
   * streams inside it, their languages as BCP 47 codes (`fr`, not the file's `fre`).
   */
  tracks(item: MediaItem, info?: MediaInfo): Array<{ lang: string; url: string }> {
    const beside = item.subtitles.map((track) => ({ lang: track.lang ?? 'und', url: this.subtitleUrl(track) }));
    if (!info || !this.#options.conversions?.available()) return beside;
    const inside = info.subtitles.filter((stream) => stream.text).map((stream) => ({ lang: bcp47(stream.language), url: this.embeddedSubtitleUrl(item, stream.index) }));
    return [...beside, ...inside];
  }

  /** Absolute signed URL of a text subtitle stream inside an item, as WebVTT (the item's own grant: it is the file's data). */
  embeddedSubtitleUrl(item: MediaItem, stream: number): string {
    return `${this.#options.baseUrl()}/embedded/${item.id}/${stream}.vtt?g=${this.#options.grants.sign(item.id, this.#expiry())}`;
  }

  /**
   * The item as a player loads it: its signed URL, type, title and metadata (from its
   * tags, else its name and folders: see `parseMediaName`), duration, kind and
   * subtitle tracks.
   *
   * @throws {UnplayableMediaError} `ERR_UNPLAYABLE` when the prober found the file
   * cannot be read (corrupt, empty): the message gives its reason.
   */
  castMedia(item: MediaItem, target?: PlaybackTarget): CastMedia {
    const { names, info, problem, watched } = this.#options.details?.(item) ?? { names: namesOfItem(item) };
    // A file the prober could not open or finish is given its chance: the device will say.
    if (problem !== undefined && !problem.startsWith(UNREADABLE)) throw new UnplayableMediaError(item.name, problem);
    const resumeFrom = resumePosition(watched);
    const plan = target ? this.plan(item, target, info) : undefined;
    return {
      ...this.#source(item, plan),
      title: names.title,
      kind: item.kind,
      subtitles: this.tracks(item, info),
      metadata: withProbed(castMetadataOf(names, item.kind), info),
      images: [this.artworkUrl(item, 'large')],
      ...(info?.duration !== undefined && { duration: info.duration }),
      ...(resumeFrom !== undefined && { resumeFrom }),
    };
  }

  /** The URL and type a device fetches: the file, or its conversion (refused in words when ffmpeg is missing or busy). */
  #source(item: MediaItem, plan: PlaybackPlan | undefined): Pick<CastMedia, 'url' | 'contentType' | 'conversion' | 'hlsSegmentFormat'> {
    if (!plan || plan.mode === 'direct') return { url: this.mediaUrl(item), contentType: item.mime, ...(plan && { conversion: { mode: plan.mode, reasons: plan.reasons } }) };
    const conversions = this.#options.conversions;
    if (!conversions?.available()) {
      throw new UnplayableMediaError(item.name, `${plan.reasons.join('; ')}. That needs ffmpeg, which is not installed: install it (Debian/Ubuntu: sudo apt install ffmpeg; Synology: the ffmpeg package from SynoCommunity) or set ffmpegPath`);
    }
    conversions.assertRoom(`${item.id}/${planKey(plan)}`);
    return { url: this.streamUrl(item, plan), contentType: 'application/x-mpegurl', hlsSegmentFormat: 'fmp4', conversion: { mode: plan.mode, reasons: plan.reasons } };
  }

  // Rounded up to the hour, so listings made within the hour give identical URLs.
  #expiry(): number {
    const ttl = this.#options.grantTtl ?? 48 * 3600;
    return Math.ceil((Date.now() / 1000 + ttl) / 3600) * 3600;
  }
}

/** What a device shows of an item, from what its name says (tags will override the names first). */
export function castMetadataOf(names: MediaNames, kind: MediaItem['kind']): CastMetadata {
  switch (names.kind) {
    case 'episode':
      return { type: 'episode', series: names.series, season: names.season, episode: names.episode, airDate: names.airDate };
    case 'film':
      return { type: 'movie', year: names.year };
    case 'track':
      return { type: 'track', artist: names.artist, album: names.album, track: names.track, disc: names.disc, year: names.year };
    default:
      return kind === 'image' ? { type: 'photo' } : kind === 'audio' ? { type: 'track' } : { type: 'generic' };
  }
}

/** What a stream grant signs: the item and the plan, so a link opens that conversion only. */
export function streamGrantSubject(id: string, key: string): string {
  return `stream:${id}/${key}`;
}

/** What an artwork grant signs: another string than a media grant, so a link to a cover never opens the film. */
export function artworkGrantSubject(id: string): string {
  return `artwork:${id}`;
}

// What only the probe knows: a photo's date, a track's album artist.
function withProbed(metadata: CastMetadata, info: MediaInfo | undefined): CastMetadata {
  if (!info) return metadata;
  if (metadata.type === 'photo' && info.photo?.taken) return { ...metadata, taken: info.photo.taken };
  if (metadata.type === 'track' && info.tags.albumArtist) return { ...metadata, albumArtist: info.tags.albumArtist };
  return metadata;
}
