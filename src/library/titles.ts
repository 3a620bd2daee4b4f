import { parseEpisodeName, seasonOfFolder, type EpisodeName } from './episode-names.ts';
import type { MediaKind } from './media-types.ts';
import type { MediaItem } from './model.ts';
import { cleanName, parseRelease, stripRelease } from './release-noise.ts';
import { stemOf } from './subtitle-names.ts';

export { isArtworkFile } from './artwork-names.ts';
export { cleanName, parseRelease } from './release-noise.ts';

/**
 * What a media file is, as far as its name and folders tell. Every field but `kind`
 * and `title` is optional, and the object is plain data: tags read from the file
 * (issue 21, item 2) override it field by field with {@link withTags}.
 */
export interface MediaNames {
  /** Which metadata the rest are: an episode of a series, a film, a music track, or anything else. */
  readonly kind: 'episode' | 'film' | 'track' | 'other';
  /** Never empty: the episode's or the song's title, the film's title, or the cleaned name. */
  readonly title: string;
  readonly series?: string;
  /** 0 for specials. */
  readonly season?: number;
  readonly episode?: number;
  /** The last episode of a multi-episode file (`S01E01-E02`). */
  readonly episodeEnd?: number;
  /** `YYYY-MM-DD`, for shows named by date. */
  readonly airDate?: string;
  readonly year?: number;
  readonly track?: number;
  readonly disc?: number;
  readonly artist?: string;
  readonly album?: string;
}

/** Fields found elsewhere (tags), each winning over the name's when it is set. */
export type MediaNameOverrides = { readonly [K in keyof MediaNames]?: MediaNames[K] | undefined };

/** `names` with every field `tags` sets replacing the one the name gave; an empty tag title is ignored. */
export function withTags(names: MediaNames, tags: MediaNameOverrides): MediaNames {
  const merged: Record<string, unknown> = { ...names };
  for (const [key, value] of Object.entries(tags)) if (value !== undefined && value !== '') merged[key] = value;
  return merged as unknown as MediaNames;
}

// Multi-disc folders, Jellyfin's AlbumStackingPrefixes: `CD1`, `Disc 2`, `Vol. 3`.
const DISC_FOLDER = /^\s*(?:cd|disc|disk|vol(?:ume)?\.?|digital media)[ ._-]*(\d{1,3})\s*$/i;
// `01 - Title`, `1-01 Title`, `01. Title`, `101 Title`; a disc must be followed by
// punctuation and a digit (beets' fromfilename).
const TRACK = /^(?:(?<disc>\d{1,2})[-.](?=\d))?(?<track>\d{1,3})(?![\d])(?:\s*[-._]\s*|\s+|$)(?<title>.*)$/u;
const ALBUM_YEAR = /^(?:(?<lead>(?:19|20)\d{2})\s*-\s*)?(?<album>.+?)(?:\s*[([](?<tail>(?:19|20)\d{2})[)\]])?$/u;

function parseTrack(stem: string, folders: readonly string[]): MediaNames {
  const dirs = [...folders];
  let disc: number | undefined;
  const discFolder = dirs.length > 0 ? DISC_FOLDER.exec(dirs.at(-1)!) : null;
  if (discFolder) {
    disc = Number(discFolder[1]);
    dirs.pop();
  }
  const groups = TRACK.exec(stem)?.groups;
  const title = cleanName(groups?.title ?? stem) || cleanName(stem) || stem;
  if (groups?.disc !== undefined) disc = Number(groups.disc);
  const albumMatch = dirs.length > 0 ? ALBUM_YEAR.exec(dirs.at(-1)!)?.groups : undefined;
  const year = albumMatch?.lead ?? albumMatch?.tail;
  const album = albumMatch?.album ? cleanName(albumMatch.album) : undefined;
  const artist = dirs.length > 1 ? cleanName(dirs.at(-2)!) : undefined;
  return {
    kind: 'track',
    title,
    ...(groups ? { track: Number(groups.track) } : {}),
    ...(disc !== undefined ? { disc } : {}),
    ...(artist ? { artist } : {}),
    ...(album ? { album } : {}),
    ...(year ? { year: Number(year) } : {}),
  };
}

/** `Show S01E02`, `Show S01E01-E02`, `Show 2023-05-01`: an episode's name when it has no title of its own. */
function episodeLabel(series: string, found: EpisodeName): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const code =
    found.airDate ??
    (found.season !== undefined && found.episode !== undefined ? `S${pad(found.season)}E${pad(found.episode)}${found.episodeEnd !== undefined ? `-E${pad(found.episodeEnd)}` : ''}` : '');
  return code ? `${series} ${code}`.trim() : '';
}

function parseVideo(stem: string, folders: readonly string[]): MediaNames {
  const parent = folders.at(-1);
  const folderSeason = parent === undefined ? undefined : seasonOfFolder(parent);
  const found = parseEpisodeName(stem, folderSeason);
  if (!found) {
    const film = parseRelease(stem);
    return { kind: 'film', ...film };
  }
  // The series from the name, else from the folder above `Season N`, else the folder.
  const showFolder = folderSeason === undefined ? parent : folders.at(-2);
  const fromName = found.series === undefined ? '' : parseRelease(found.series).title.replace(/[\s(]*\b(?:19|20)\d{2}\)?$/, '');
  const series = cleanName(fromName) || (showFolder === undefined ? '' : parseRelease(showFolder).title);
  const rest = found.rest.replace(/^[\s._-]+/, '');
  // An episode's own title when the name has one; else its whole name without the
  // noise, unless that is a bare number ("05"): then "Show S03E05".
  const whole = stripRelease(stem, true).title;
  const title = (rest ? stripRelease(rest).title : '') || (/[\p{L}]/u.test(whole) ? whole : '') || episodeLabel(series, found) || parseRelease(stem).title;
  const numbers = { season: found.season, episode: found.episode, episodeEnd: found.episodeEnd, airDate: found.airDate };
  return withTags({ kind: 'episode', title, ...(series ? { series } : {}) }, numbers);
}

/**
 * What a file is from its name and the folders that hold it inside its root (`folders`,
 * outermost first: `['Show', 'Season 1']`). Never throws; the title is never empty.
 *
 * @example
 * parseMediaName('Show S01E02 - Pilot [WEBDL-1080p].mkv', ['Show', 'Season 1'], 'video')
 * // → { kind: 'episode', title: 'Pilot', series: 'Show', season: 1, episode: 2 }
 */
export function parseMediaName(name: string, folders: readonly string[] = [], kind: MediaKind = 'video'): MediaNames {
  // A file name is at most 255 bytes on the NAS: a longer string (a caller's) is cut, so no regex runs long.
  const stem = (stemOf(name) || name).slice(0, 300);
  const dirs = folders.filter((folder) => folder !== '').slice(-4).map((folder) => folder.slice(0, 300));
  const names = kind === 'audio' ? parseTrack(stem, dirs) : kind === 'image' ? { kind: 'other' as const, title: cleanName(stem) } : parseVideo(stem, dirs);
  // Never empty: a name that cleans to nothing is shown as it is.
  return names.title.trim() ? names : { ...names, title: stem.trim() || name.trim() || name };
}

/** {@link parseMediaName} of a library item: its name, the folders inside its root, its kind. */
export function namesOfItem(item: Pick<MediaItem, 'name' | 'kind' | 'folder'>): MediaNames {
  // `path` is `<root name>/<folders…>`, shown (U+FFFD for bytes that are not UTF-8); the root's name is no show's or album's.
  return parseMediaName(item.name, item.folder.path.split('/').slice(1), item.kind);
}
