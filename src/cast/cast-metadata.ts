import type { CastMedia, CastMetadata } from './player.ts';

/**
 * CAF's `metadataType` numbers (`cast.framework.messages.MetadataType` in
 * @types/chromecast-caf-receiver: GENERIC 0, MOVIE 1, TV_SHOW 2, MUSIC_TRACK 3, PHOTO 4).
 */
export const METADATA_TYPE = { generic: 0, movie: 1, episode: 2, track: 3, photo: 4 } as const;

type Json = Record<string, unknown>;

/** Only the fields that are set: a receiver shows an empty string as it is. */
function defined(fields: Json): Json {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== ''));
}

/**
 * The LOAD `media.metadata` of an item, with the field names of CAF's metadata classes
 * (cast.framework.messages.d.ts): `MovieMediaMetadata` {title, subtitle, releaseDate};
 * `TvShowMediaMetadata` {seriesTitle, title, season, episode, originalAirdate};
 * `MusicTrackMediaMetadata` {title, artist, albumName, albumArtist, trackNumber,
 * discNumber, releaseDate}; `PhotoMediaMetadata` {title}. Both `type` (the sender
 * protocol's name) and `metadataType` (CAF's) are sent, as before. Without metadata the
 * kind decides: a video is a movie, a song a music track, a picture a photo.
 */
export function castMetadata(media: CastMedia, kind: 'video' | 'audio' | 'image'): Json {
  const meta: CastMetadata = media.metadata ?? { type: kind === 'audio' ? 'track' : kind === 'image' ? 'photo' : 'movie' };
  const number = METADATA_TYPE[meta.type];
  // `images` is every metadata class's list of `Image` {url}: what phones, the Google Home app and the idle screen show.
  const head = { type: number, metadataType: number, title: media.title, ...(media.images?.length ? { images: media.images.map((url) => ({ url })) } : {}) };
  switch (meta.type) {
    case 'movie':
      return defined({ ...head, subtitle: meta.subtitle, releaseDate: meta.year?.toString() });
    case 'episode':
      return defined({ ...head, seriesTitle: meta.series, season: meta.season, episode: meta.episode, originalAirdate: meta.airDate });
    case 'track':
      return defined({ ...head, artist: meta.artist, albumName: meta.album, albumArtist: meta.albumArtist, trackNumber: meta.track, discNumber: meta.disc, releaseDate: meta.year?.toString() });
    case 'generic':
      return defined({ ...head, subtitle: meta.subtitle });
    case 'photo':
      return defined({ ...head, creationDateTime: meta.taken });
    default:
      return defined(head);
  }
}
