import { type CastMedia, ControlError, type NasCast } from '../api.ts';
import type { NothingToPlay } from './device-controller.ts';
import type { Favourite } from './inputs.ts';

/**
 * What a favourite plays, decided when it is picked: the item watched last, a series'
 * next episode, or a library path or URL as `NasCast.resolve` takes them. A single
 * library item carries where it was left (`resumeFrom`), so it goes on from there.
 * Rejects as `NasCast.resolve` does (an unknown path, an unplayable URL).
 */
export async function resolveInput(nascast: NasCast, favourite: Favourite): Promise<CastMedia | CastMedia[] | NothingToPlay> {
  if (favourite.continueWatching) return continueWatching(nascast);
  if (favourite.next !== undefined) return nextEpisode(nascast, favourite.next);
  return nascast.resolve(favourite.media, favourite.url);
}

/** The item started last and not finished; with none, the first media folder as a playlist. */
async function continueWatching(nascast: NasCast): Promise<CastMedia | CastMedia[] | NothingToPlay> {
  const [item] = nascast.library.continueWatching(1);
  if (item) return nascast.media(item);
  const root = nascast.library.roots[0];
  if (!root) return { nothing: 'nothing was watched yet, and the library has no media folder' };
  try {
    return await nascast.resolve(root.path);
  } catch (error) {
    // An empty (or unmounted) first folder is no mistake in the settings: nothing plays, and the log says why.
    if (error instanceof ControlError && error.code === 'UNKNOWN_MEDIA') return { nothing: `nothing was watched yet, and ${root.name} has no media` };
    throw error;
  }
}

/** The next episode of the series folder at `path`: one in progress resumes, a new one starts. */
function nextEpisode(nascast: NasCast, path: string): CastMedia | NothingToPlay {
  const series = nascast.library.folder(path);
  if (!series) return { nothing: `there is no folder '${path}' in the library` };
  const episode = nascast.library.nextEpisode(series);
  if (!episode) return { nothing: `'${path}' has no episode left to watch` };
  return nascast.media(episode);
}
