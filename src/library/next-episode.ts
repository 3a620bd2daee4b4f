import { naturalCompare } from './natural-order.ts';
import { isInProgress, type WatchState } from './watch-history.ts';

/** What {@link nextEpisode} reads of an episode: its path and what its name says (`parseMediaName`). */
export interface EpisodeLike {
  readonly path: string;
  readonly season?: number;
  readonly episode?: number;
  readonly airDate?: string;
}

/**
 * The order of a series: by season (none said counts as season 1, as a flat folder of
 * `Episode 01`, `Episode 02` is), then episode number (none last), then air date (none
 * last), then the path in natural order.
 */
export function compareEpisodes(a: EpisodeLike, b: EpisodeLike): number {
  return (
    (a.season ?? 1) - (b.season ?? 1) ||
    (a.episode ?? Infinity) - (b.episode ?? Infinity) || // Infinity − Infinity is NaN, which || passes over
    byCode(a.airDate ?? '\uffff', b.airDate ?? '\uffff') || // YYYY-MM-DD: their code units are in date order
    naturalCompare(a.path, b.path)
  );
}

/**
 * The episode to play next ("next up"), or undefined when every one after the last
 * finished episode is finished too (the series is done).
 *
 * - The series is ordered by {@link compareEpisodes}. Specials (season 0) are left out,
 *   as Jellyfin's next-up leaves them out: they are extras rather than the story, and
 *   a finished special must not move the series on. A list of nothing but specials is
 *   taken as it is.
 * - The answer is an unfinished episode after the LAST finished one (an earlier gap was
 *   skipped on purpose, or watched elsewhere): one in progress there, the most recently
 *   played, is resumed; else the first. With none finished, that is the whole series.
 * - A copy of a finished episode (the same season and number, another file: another
 *   quality, say) counts as finished.
 *
 * `state` gives an episode's watch state (`WatchHistory.under` holds them all).
 */
export function nextEpisode<T extends EpisodeLike>(episodes: readonly T[], state: (episode: T) => WatchState | undefined): T | undefined {
  const regular = episodes.filter((episode) => episode.season !== 0);
  const order = (regular.length > 0 ? regular : [...episodes]).sort(compareEpisodes);
  const states = order.map((episode) => state(episode));
  const finished = new Set(order.filter((episode, index) => states[index]?.finished === true && episode.episode !== undefined).map(numberOf));
  const last = states.findLastIndex((watched) => watched?.finished === true);
  let first: T | undefined;
  let resume: { episode: T; playedAt: number } | undefined;
  for (let index = last + 1; index < order.length; index++) {
    const episode = order[index]!;
    const watched = states[index];
    if (watched?.finished === true || finished.has(numberOf(episode))) continue;
    first ??= episode;
    if (isInProgress(watched) && watched!.playedAt > (resume?.playedAt ?? -Infinity)) resume = { episode, playedAt: watched!.playedAt };
  }
  return resume?.episode ?? first;
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Episodes without a number never share one: their key is never in the set of finished numbers.
function numberOf(episode: EpisodeLike): string {
  return `${episode.season ?? 1}:${episode.episode}`;
}
