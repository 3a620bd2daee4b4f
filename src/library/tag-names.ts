import type { MediaTags } from './media-info.ts';
import type { MediaKind } from './media-types.ts';
import { RELEASE_TOKEN } from './release-noise.ts';
import { withTags, type MediaNameOverrides, type MediaNames } from './titles.ts';

/**
 * What a file's name says, with its tags applied where they are to be believed. Music
 * tags are written by people and win. A video's title tag is often the release name
 * the encoder left (`My.Movie.2019.1080p.BluRay.x264-GRP`): it wins only when it
 * carries no release token and is not dotted like a release name.
 */
export function namesWithTags(names: MediaNames, tags: MediaTags | undefined, kind: MediaKind): MediaNames {
  return tags ? withTags(names, overridesOf(tags, kind)) : names;
}

function overridesOf(tags: MediaTags, kind: MediaKind): MediaNameOverrides {
  if (kind === 'audio') {
    const tagged = tags.artist !== undefined || tags.album !== undefined || tags.albumArtist !== undefined;
    return { kind: tagged ? 'track' : undefined, title: tags.title, artist: tags.artist ?? tags.albumArtist, album: tags.album, track: tags.track, disc: tags.disc, year: tags.year };
  }
  if (kind === 'video' && tags.title !== undefined && !RELEASE_TOKEN.test(tags.title) && !/\w\.\w+\.\w/.test(tags.title)) return { title: tags.title, year: tags.year };
  return { year: tags.year };
}
