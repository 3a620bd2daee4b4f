// Series episodes from names, after Jellyfin's `EpisodeExpressions` and Kodi's
// `m_tvshowEnumRegExps` (research/issue21.md §5.2), rewritten for JavaScript: .NET's
// `[][ ._-]` is an empty class in JS and is spelled `[\][ ._-]` here; `\w` is ASCII in
// JS, so names use `\p{L}\p{N}` with the `u` flag. Matched case-insensitively.

/** What a name says about an episode. */
export interface EpisodeName {
  readonly series?: string;
  readonly season?: number;
  readonly episode?: number;
  readonly episodeEnd?: number;
  /** `YYYY-MM-DD`, for shows named by date. */
  readonly airDate?: string;
  /** What follows the episode's number: its title and release noise, still to clean. */
  readonly rest: string;
}

// `S01E02`, `s01.e02`, `S01 - E02`, and more episodes after it: `-E03`, `E03`, `-03`
// (not `-1080p`: an ending number followed by a digit, p or i is not one, as in
// Jellyfin's EpisodePathParser).
const SEASON_EPISODE =
  /^(?<series>.*?)(?<![\p{L}\p{N}])s(?<season>\d{1,4})[\][ ._-]*e(?<episode>\d{1,4})(?![\p{N}])(?<more>(?:(?:[ ._]?-[ ._]?)?e\d{1,4}(?![\dpi])|-\d{1,4}(?![\dpi]))*)(?<rest>.*)$/iu;
// `1x02`, `1x02-1x03`, `1x02x03`; the number before x has at most two digits and a
// boundary before it, so that `1920x1080` is not season 1920.
const CROSS = /^(?<series>.*?)(?<![\p{L}\p{N}])s?(?<season>\d{1,2})x(?<episode>\d{1,3})(?!\d)(?<more>(?:(?:-| - )?(?:\d{1,2})?x\d{1,3}(?![\dpi])|-\d{2,3}(?![\dpi]))*)(?<rest>.*)$/iu;
// `Show 2023-05-01`, `Show.2023.05.01`.
const BY_DATE = /^(?<series>.*?)[ ._-]*(?<![\p{N}])(?<year>(?:19|20)\d{2})[._ -](?<month>0[1-9]|1[0-2])[._ -](?<day>0[1-9]|[12]\d|3[01])(?!\d)(?<rest>.*)$/u;
// `Episode 16`, `Ep 16`, `Show - E16`. Not a number that reads as a year (`Ep.1920.1080p`
// is a film of 1920 named "Ep"): an episode past 1900 has its season beside it (S01E1920).
const EPISODE_WORD = /^(?<series>.*?)(?:^|[ ._-])(?:episode|ep)[ ._]?(?!(?:19|20)\d{2}(?!\d))(?<episode>\d{1,4})(?:-(?<end>\d{1,4}))?(?![\d])(?<rest>.*)$/iu;
// In a season folder: `02 - Title`, `02. Title`, `02-03 Title`, `02`.
const NUMBER_FIRST = /^(?<episode>\d{1,3})(?:-(?<end>\d{1,3}))?(?![\dpi])(?:[ ._]*-[ ._]*|[ ._]+|$)(?<rest>.*)$/iu;
// In a season folder: `Show - 02 - Title`, `Show - 02`.
const NAME_NUMBER = /^(?<series>.+?)[ _]+-[ _]+(?<episode>\d{1,3})(?![\dpi])(?:[ _]+-[ _]+|[ _]*$|[ _]+(?=\[))(?<rest>.*)$/iu;

const SEASON_WORDS = 'season|saison|staffel|temporada|stagione|seizoen|sæson|säsong|sezon|sezona|kausi|series|serie|seria';
/** A season folder: `Season 1`, `Staffel 02`, `S01`, `1st Season`; `Specials`/`Extras` are season 0. */
const SEASON_FOLDER = new RegExp(String.raw`^\s*(?:(?:${SEASON_WORDS})[ ._-]*(?<a>\d{1,4})|s(?<b>\d{1,4})|(?<c>\d{1,4})(?:st|nd|rd|th|\.)?[ ._-]*(?:${SEASON_WORDS}))(?![\d])(?:\s*$|[ ._-]+(?!e\d))`, 'iu');

/** The season a folder's name stands for, or undefined. */
export function seasonOfFolder(name: string): number | undefined {
  if (/^\s*(?:specials?|extras)\s*$/i.test(name)) return 0;
  const match = SEASON_FOLDER.exec(name);
  const digits = match?.groups?.a ?? match?.groups?.b ?? match?.groups?.c;
  return digits === undefined ? undefined : Number(digits);
}

/** The last number of a run of ending episodes (`-E03-E04` → 4), when after the first. */
function episodeEnd(more: string | undefined, first: number): number | undefined {
  const numbers = (more ?? '').match(/\d+/g);
  const last = numbers ? Number(numbers.at(-1)) : undefined;
  return last !== undefined && last > first ? last : undefined;
}

/** A plausible season: Jellyfin rejects 200–1927 and above 2500 (`Special (1920x1080)`). */
function plausibleSeason(season: number): boolean {
  return !(season >= 200 && season <= 1927) && season <= 2500;
}

/**
 * An episode from a file's name without its extension (`stem`) and the season its
 * folder stands for, if any; undefined when the name says nothing of an episode.
 */
export function parseEpisodeName(stem: string, folderSeason: number | undefined): EpisodeName | undefined {
  for (const pattern of [SEASON_EPISODE, CROSS]) {
    const groups = pattern.exec(stem)?.groups;
    if (!groups || !plausibleSeason(Number(groups.season))) continue;
    const episode = Number(groups.episode);
    const end = episodeEnd(groups.more, episode);
    return { series: groups.series, season: Number(groups.season), episode, ...(end !== undefined ? { episodeEnd: end } : {}), rest: groups.rest ?? '' };
  }
  const date = BY_DATE.exec(stem)?.groups;
  if (date) return { series: date.series, airDate: `${date.year}-${date.month}-${date.day}`, ...(folderSeason !== undefined ? { season: folderSeason } : {}), rest: date.rest ?? '' };
  const patterns = folderSeason === undefined ? [EPISODE_WORD] : [EPISODE_WORD, NUMBER_FIRST, NAME_NUMBER];
  for (const pattern of patterns) {
    const groups = pattern.exec(stem)?.groups;
    if (!groups) continue;
    const episode = Number(groups.episode);
    const end = groups.end !== undefined && Number(groups.end) > episode ? Number(groups.end) : undefined;
    return { series: groups.series, ...(folderSeason !== undefined ? { season: folderSeason } : {}), episode, ...(end !== undefined ? { episodeEnd: end } : {}), rest: groups.rest ?? '' };
  }
  return folderSeason === undefined ? undefined : { season: folderSeason, rest: stem };
}
