import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Logger } from '../logger.ts';
import { displayName } from './disk-names.ts';
import { fileErrorReason, type FolderListing, type ListingWarning } from './folder-listing.ts';
import type { FolderReader } from './folder-reader.ts';
import { mediaId } from './ids.ts';
import { mediaTypeOf, subtitleFormatOf } from './media-types.ts';
import { MediaFolder, MediaItem, SubtitleTrack, type MediaRootConfig } from './model.ts';
import { naturalCompare } from './natural-order.ts';
import { parseSubtitleName, stemOf } from './subtitle-names.ts';

export { isHiddenName, isInside } from './folder-listing.ts';

export interface ScanContext {
  readonly key: KeyObject | undefined;
  readonly logger: Logger;
  /** Shares the event loop between this scan and everything else (see {@link Slices}). */
  readonly slices: Slices;
  /** The root's real path, to refuse symlinks that lead outside it. */
  readonly realRoot: string;
  /** Lists folders off the event loop. */
  readonly reader: FolderReader;
}

/**
 * The scan lists folders in a process of its own (`FolderReader`: synchronous readdir
 * and stat there, one thread-pool round trip per file having cost far more than the
 * stat) and builds the library's items on the event loop, cut into slices of a few ms
 * with a yield between them, so the loop stays free to serve and cast. Measured on
 * 100,000 files in 1,000 folders (bench/scan.ts): `find -printf` 300 ms, the walk
 * 390–530 ms, the old promise walk 13–17 s for the whole scan. A network mount that
 * hangs blocks the scan's process, never the loop (under Homebridge, the whole bridge).
 */
export class Slices {
  #started = performance.now();

  /** Yields to the event loop when the current slice has run long enough. */
  async pause(): Promise<void> {
    if (performance.now() - this.#started < SLICE_MS) return;
    await yieldToLoop();
    this.#started = performance.now();
  }
}

const SLICE_MS = 8;

// Subfolders listed ahead of the one being built (see the end of scanFolder).
const LIST_AHEAD = 4;

/**
 * Scans one folder and everything under it. Never throws for what it finds on
 * disk: unreadable folders and files are logged and skipped, so one bad folder
 * does not hide the rest of the NAS.
 */
export async function scanFolder(
  context: ScanContext,
  root: MediaRootConfig,
  relativePath: string,
  options: { ancestors?: ReadonlySet<string>; previous?: MediaFolder; before?: MediaFolder | undefined; listed?: Promise<FolderListing> | undefined } = {},
): Promise<MediaFolder> {
  await context.slices.pause();
  // The same folder as the library knew it: its files' ids are taken again, as an id
  // depends only on the path (an HMAC each: about a third of a scan's CPU).
  const before = options.before ?? options.previous;
  const knownIds = new Map(before?.items.map((item) => [item.diskName, item.id]));
  const beforeFolders = new Map(before?.folders.map((child) => [path.posix.basename(child.relativePath), child]));
  // A shallow rescan after a change keeps the subfolders already scanned: their own
  // watches report their own changes.
  const scanned = options.previous?.folders.filter((child) => child.available) ?? [];
  const keep = new Map(scanned.map((child) => [path.posix.basename(child.relativePath), child]));
  const folder = new MediaFolder(root, relativePath, relativePath === '' ? root.name : displayName(path.posix.basename(relativePath)));
  const absolute = folder.absolutePath;
  let listing: FolderListing;
  let ancestors: Set<string>;
  try {
    listing = await (options.listed ?? context.reader.list(absolute, context.realRoot));
    if (options.ancestors?.has(listing.real)) return folder; // a symlink back up the tree: a loop
    ancestors = new Set(options.ancestors).add(listing.real);
  } catch (error) {
    context.logger.warn(`cannot read folder '${folder.path}' (${fileErrorReason(error)}); skipped`);
    return new MediaFolder(root, relativePath, folder.name, false);
  }
  if (listing.bytesNames) context.logger.debug(`folder '${folder.path}' has names that are not UTF-8; they are listed with U+FFFD and served as they are`);
  for (const warning of listing.warnings) context.logger.warn(warningText(warning, `${folder.path}/${displayName(warning.disk)}`));

  const subtitles: SubtitleFile[] = [];
  const subfolders: string[] = [];
  const items: MediaItem[] = [];

  for (const [index, entry] of listing.entries.entries()) {
    if (index % 256 === 255) await context.slices.pause();
    // `disk` opens the file, `name` is shown: they differ only for names that are not UTF-8.
    const { disk } = entry;
    const name = displayName(disk);
    if (entry.type === 'folder') {
      subfolders.push(disk);
    } else if (entry.type === 'subtitle') {
      subtitles.push({ name, disk, ...parseSubtitleName(disk) });
    } else {
      const type = mediaTypeOf(name);
      if (!type) continue;
      const childRelative = relativePath === '' ? disk : `${relativePath}/${disk}`;
      const id = knownIds.get(disk) ?? mediaId(root.name, childRelative, context.key);
      items.push(new MediaItem(id, name, type.kind, type.mime, entry.size, entry.mtimeMs, folder, disk));
    }
  }

  // A copy of exactly its length: the array grown by push keeps ~40 % spare slots (measured
  // 11.5 bytes per item with 100,000 files, 8.2 copied), for as long as the library runs.
  folder.items = items.sort((a, b) => naturalCompare(a.name, b.name)).slice();
  // One folder after another: one listing at a time in the scan's process.
  // The scan's process lists the next few subfolders while this one builds the items of
  // the current one (two cores at work instead of one, taking turns); only a few ahead,
  // so a slow share does not run a long queue into each listing's deadline.
  const listed = new Map<string, Promise<FolderListing>>();
  const listAhead = (from: number): void => {
    for (const disk of subfolders.slice(from, from + LIST_AHEAD)) {
      if (listed.has(disk) || keep.has(disk)) continue;
      const listing = context.reader.list(`${absolute}/${disk}`, context.realRoot);
      listing.catch(() => {}); // its scanFolder reports a failure
      listed.set(disk, listing);
    }
  };
  for (const [index, disk] of subfolders.entries()) {
    listAhead(index);
    const kept = keep.get(disk);
    const child = relativePath === '' ? disk : `${relativePath}/${disk}`;
    folder.folders.push(kept ?? (await scanFolder(context, root, child, { ancestors, before: beforeFolders.get(disk), listed: listed.get(disk) })));
    listed.delete(disk);
  }
  folder.folders.sort((a, b) => naturalCompare(a.name, b.name));
  attachSubtitles(context.key, folder, subtitles);
  return folder;
}

/** A subtitle file found in a folder: shown name, name on disk, and what its name says. */
export interface SubtitleFile {
  readonly name: string;
  readonly disk: string;
  readonly base: string;
  readonly lang: string | undefined;
}

/** Gives each video of `folder` the subtitle files named after it. */
export function attachSubtitles(key: KeyObject | undefined, folder: MediaFolder, subtitles: readonly SubtitleFile[]): void {
  if (subtitles.length === 0) return;
  const videos = new Map<string, MediaItem>();
  for (const item of folder.items) {
    if (item.kind !== 'video') continue;
    videos.set(stemOf(item.diskName), item);
    videos.set(stemOf(item.diskName).toLowerCase(), item);
  }
  const tracks = new Map<MediaItem, SubtitleTrack[]>();
  for (const subtitle of subtitles) {
    const video = videos.get(subtitle.base) ?? videos.get(subtitle.base.toLowerCase());
    if (!video) continue;
    const relative = folder.relativePath === '' ? subtitle.disk : `${folder.relativePath}/${subtitle.disk}`;
    const track = new SubtitleTrack(
      mediaId(folder.root.name, relative, key),
      subtitle.name,
      subtitle.lang,
      subtitleFormatOf(subtitle.name)!,
      folder,
      subtitle.disk,
    );
    const list = tracks.get(video) ?? [];
    list.push(track);
    tracks.set(video, list);
  }
  for (const [video, list] of tracks) {
    list.sort((a, b) => naturalCompare(a.lang ?? '', b.lang ?? '') || naturalCompare(a.name, b.name));
    video.subtitles = list;
  }
}

function warningText(warning: ListingWarning, shown: string): string {
  if (warning.problem === 'outside') return `'${shown}' is a symlink that leads outside its root; skipped`;
  if (warning.problem === 'link') return `cannot follow symlink '${shown}' (${warning.reason ?? 'unknown'}); skipped`;
  return `cannot read '${shown}' (${warning.reason ?? 'unknown'}); skipped`;
}
