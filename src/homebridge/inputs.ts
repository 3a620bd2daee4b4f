import { ConfigError, type MediaRootConfig } from '../api.ts';
import { objects, optionalText, text, type Raw } from './config-fields.ts';

/**
 * Every Television gets this many InputSource services, configured or not. The Home
 * app caches inputs by service, so a pool whose names and visibility change (instead of
 * services added and removed) leaves no ghost tiles when favourites change.
 */
export const INPUT_POOL_SIZE = 16;

/** A favourite: what an input of a Television (or a scene) plays. */
export interface Favourite {
  /** The input's name in the Home app. */
  readonly name: string;
  /** A folder (played as a playlist) or a file, by its library path (`Films/Cartoons`), or a media id. */
  readonly media?: string;
  /** A URL outside the library. */
  readonly url?: string;
  /** A series folder, by its library path (`Series/My Show`): its next episode, chosen when the input is picked. */
  readonly next?: string;
  /**
   * The item watched last, where it was left: only the inputs a TV gets when none are
   * configured ({@link defaultInputs}) have it; the settings cannot ask for it.
   */
  readonly continueWatching?: true;
}

/** The name of the input that plays what was watched last, on a TV with no inputs configured. */
export const CONTINUE_WATCHING = 'Continue watching';

/**
 * A TV's inputs: its own, else the platform's (an empty list, as the settings form
 * saves one, is none), else "Continue watching" and each media folder: so "Hey Siri,
 * turn on the TV" plays something on a fresh install.
 */
export function inputsOf(own: readonly Favourite[] | undefined, platformInputs: readonly Favourite[], media: readonly MediaRootConfig[]): readonly Favourite[] {
  if (own !== undefined && own.length > 0) return own;
  return platformInputs.length > 0 ? platformInputs : defaultInputs(media);
}

/** "Continue watching", then each media folder by its name (played as a playlist), as many as the pool holds. */
export function defaultInputs(media: readonly MediaRootConfig[]): readonly Favourite[] {
  const inputs: Favourite[] = [{ name: CONTINUE_WATCHING, continueWatching: true }];
  for (const root of media) inputs.push({ name: root.name, media: root.name });
  return inputs.slice(0, INPUT_POOL_SIZE);
}

/** The `inputs` list of the platform or of a TV, checked. */
export function inputList(raw: Raw, at: string): Favourite[] {
  const inputs = objects(raw, 'inputs', at, favourite);
  if (inputs.length > INPUT_POOL_SIZE) throw new ConfigError(`${at} has ${inputs.length} entries; a TV shows at most ${INPUT_POOL_SIZE} inputs`);
  return inputs;
}

function favourite(entry: Raw, at: string): Favourite {
  const name = text(entry, 'name', at);
  const next = seriesPath(entry, at);
  const media = optionalText(entry, 'media', at);
  const url = optionalText(entry, 'url', at);
  if (next !== undefined) {
    if (media !== undefined || url !== undefined) throw new ConfigError(`${at} has next (the next episode of a series folder) and ${media === undefined ? 'url' : 'media'}; an input plays one of media, url or next`);
    return { name, next };
  }
  if ((media === undefined) === (url === undefined)) throw new ConfigError(`${at} needs either media (a folder or file of the library), url, or next (a series folder), not ${media === undefined ? 'neither' : 'both'}`);
  if (url !== undefined && !/^https?:\/\//.test(url)) throw new ConfigError(`${at}.url must be an http(s) URL, not '${url}'`);
  return { name, ...(media === undefined ? {} : { media: media.replace(/^\/+|\/+$/g, '') }), ...(url === undefined ? {} : { url }) };
}

/** `next`: a non-empty library path; absent when the key is (or is null, as a form may leave it). */
function seriesPath(entry: Raw, at: string): string | undefined {
  const value = entry.next;
  if (value === undefined || value === null) return undefined;
  const folder = typeof value === 'string' ? value.trim().replace(/^\/+|\/+$/g, '') : '';
  if (folder === '') throw new ConfigError(`${at}.next must be a series folder of the library (like Series/My Show), not ${JSON.stringify(value)}`);
  return folder;
}
