import type { MediaLibrary } from '../library/library.ts';
import type { MediaItem } from '../library/model.ts';

/**
 * Resolves once `item` is probed, or cannot be (unreadable, no ffprobe, probing off or
 * finished without it), at most `timeoutMs` later; its folder is probed first. What is
 * done to a file for a device depends on its codecs: a cast of a file not probed yet
 * waits for them (ffprobe takes a fraction of a second) rather than guess.
 */
export async function whenProbed(library: MediaLibrary, item: MediaItem, timeoutMs: number): Promise<void> {
  if (item.kind === 'image' || known(library, item)) return;
  library.want(item.folder);
  const deadline = Date.now() + timeoutMs;
  // The prober announces nothing per file: asked every 50 ms.
  while (!known(library, item) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

function known(library: MediaLibrary, item: MediaItem): boolean {
  const details = library.details(item);
  const probing = library.probing();
  return details.info !== undefined || details.problem !== undefined || !probing?.available || (!probing.running && probing.probed >= probing.files);
}
