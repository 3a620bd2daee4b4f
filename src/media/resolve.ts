import type { CastMedia } from '../cast/player.ts';
import { ControlError } from '../errors.ts';
import type { MediaLibrary } from '../library/library.ts';
import type { MediaFolder, MediaItem } from '../library/model.ts';
import { probeMediaUrl } from './probe.ts';
import { whenProbed } from './when-probed.ts';
import type { PlaybackTarget } from './signed-media.ts';

/** Where a media request is looked up and signed: the library, and a signer (`SignedMedia`). */
export interface MediaSource {
  readonly library: MediaLibrary;
  /** Signs an item, for a device when `target` says which (what it cannot play is converted). */
  castMedia(item: MediaItem, target?: PlaybackTarget): CastMedia;
  /** The audio language played when a file has several and a play does not say. */
  readonly audioLanguage?: string;
  /** Made ready to sign for a device (ffmpeg checked once); awaited before the first. */
  prepare?(): Promise<unknown>;
}

/** Whether a play names a URL (`http(s)://…`) rather than a media id or library path. */
export function isMediaUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/** How long a cast waits for a file not probed yet to be (ffprobe stuck on a NAS: it goes on without). */
const PROBE_WAIT_MS = 10_000;

/** The longest queue a folder makes: a whole series is a few hundred episodes. */
export const MAX_QUEUE = 2000;

/**
 * A folder as a queue: its own items; or, for a folder that holds only folders (a
 * show with a folder per season), theirs, folder by folder in natural order (Season 2
 * before Season 10), at most {@link MAX_QUEUE}.
 */
export function folderQueue(folder: MediaFolder): MediaItem[] {
  if (folder.items.length > 0) return folder.items.slice(0, MAX_QUEUE);
  const queue: MediaItem[] = [];
  const visit = (current: MediaFolder): void => {
    for (const item of current.items) if (queue.length < MAX_QUEUE) queue.push(item);
    for (const child of current.folders) if (queue.length < MAX_QUEUE) visit(child);
  };
  visit(folder);
  return queue;
}

/**
 * What a `play` names, as players take it: a media id or a library path of a file,
 * a folder path (its items as a queue: see {@link folderQueue}), or a URL outside the
 * library (probed first).
 * With `target`, items are signed for that device: what it cannot play is converted.
 * Throws a {@link ControlError}: `BAD_REQUEST` for both or neither, `UNKNOWN_MEDIA`.
 */
export async function resolvePlayable(source: MediaSource, media: string | undefined, url: string | undefined, target?: PlaybackTarget): Promise<CastMedia | CastMedia[]> {
  if (media !== undefined && url !== undefined) throw new ControlError('BAD_REQUEST', 'play takes media or url, not both');
  if (url !== undefined) return probeMediaUrl(url);
  if (media === undefined) throw new ControlError('BAD_REQUEST', 'play needs media (an id or a folder path) or url');
  const library = source.library;
  const item = findItem(library, media);
  if (item) {
    // For a device, what is done to the file depends on its codecs: wait for the probe.
    if (target) await Promise.all([whenProbed(library, item, PROBE_WAIT_MS), source.prepare?.()]);
    return source.castMedia(item, target);
  }
  const folder = library.folder(media);
  const queue = folder ? folderQueue(folder) : [];
  if (queue.length > 0 && target) await source.prepare?.();
  if (queue.length > 0) return queue.map((entry) => source.castMedia(entry, target));
  throw new ControlError('UNKNOWN_MEDIA', folder ? `the folder '${media}' has no media` : `no media or folder '${media}' in the library`);
}

/** The library file `media` names: its id, or its library path (`Films/Up.mkv`). */
export function findItem(library: MediaLibrary, media: string): MediaItem | undefined {
  const slash = media.lastIndexOf('/');
  return library.get(media) ?? (slash > 0 ? library.folder(media.slice(0, slash))?.items.find((entry) => entry.name === media.slice(slash + 1)) : undefined);
}

/**
 * Where a load starts: where it was asked (0 included: from the start), else where a
 * single library item was left (its `resumeFrom`), else the beginning.
 */
export function startOf(what: CastMedia | readonly CastMedia[], startAt: number | undefined): { startAt?: number } {
  if (startAt !== undefined) return startAt > 0 ? { startAt } : {};
  const resume = Array.isArray(what) ? undefined : (what as CastMedia).resumeFrom;
  return resume === undefined ? {} : { startAt: resume };
}
