import type { KeyObject } from 'node:crypto';
import type { Dirent, Stats } from 'node:fs';
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { errnoCode, errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { displayName, fromDiskBytes, fsPath } from './disk-names.ts';
import { mediaId } from './ids.ts';
import { mediaTypeOf, subtitleFormatOf } from './media-types.ts';
import { MediaFolder, MediaItem, SubtitleTrack, type MediaRootConfig } from './model.ts';
import { naturalCompare } from './natural-order.ts';
import { parseSubtitleName, stemOf } from './subtitle-names.ts';

/** Folders that NAS systems fill with their own files (thumbnails, recycle bins). */
const SYSTEM_FOLDERS = new Set(['@eaDir', '#recycle', '#snapshot', '$RECYCLE.BIN', 'lost+found', 'System Volume Information']);

/** Whether a name is hidden: dot files and NAS system folders are never scanned or served. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.') || SYSTEM_FOLDERS.has(name);
}

export interface ScanContext {
  readonly key: KeyObject | undefined;
  readonly logger: Logger;
  /** Shares the event loop between this scan and everything else (see {@link Slices}). */
  readonly slices: Slices;
  /** The root's real path, to refuse symlinks that lead outside it. */
  readonly realRoot: string;
}

/**
 * The scan is a synchronous walk (readdirSync + statSync) cut into slices of a few
 * ms, with a yield to the event loop between them. Measured on 100,000 files in
 * 1,000 folders (bench/scan.ts; 2 busy cores): `find -printf` 300 ms, this walk
 * bare 390–470 ms, the same walk in a worker thread 465–530 ms before anything is
 * cloned back to the main thread (which must still make the items and their ids),
 * and the old promise walk with 32 stats in flight 13–17 s for the whole scan (a
 * thread-pool round trip per file costs far more than the stat). The slices keep
 * the loop free to serve and cast: no slice runs past SLICE_MS but by one syscall.
 * The price, and the reason to move to a worker one day: a network mount that hangs
 * in the middle of a walk blocks the loop until its syscall returns (a mount that
 * hangs before is caught by the root check, which stays asynchronous).
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

/**
 * Scans one folder and everything under it. Never throws for what it finds on
 * disk: unreadable folders and files are logged and skipped, so one bad folder
 * does not hide the rest of the NAS.
 */
export async function scanFolder(
  context: ScanContext,
  root: MediaRootConfig,
  relativePath: string,
  options: { ancestors?: ReadonlySet<string>; previous?: MediaFolder; before?: MediaFolder | undefined } = {},
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
  // Joined by hand per file below: path.join cost ~5 % of a scan (profiled).
  const absolute = folder.absolutePath;
  let entries: Array<Dirent | Dirent<Buffer>>;
  let ancestors: Set<string>;
  try {
    const real = realPathSync(absolute);
    if (options.ancestors?.has(real)) return folder; // a symlink back up the tree: a loop
    ancestors = new Set(options.ancestors).add(real);
    entries = readEntries(context, absolute, folder.path);
  } catch (error) {
    context.logger.warn(`cannot read folder '${folder.path}' (${fileErrorReason(error)}); skipped`);
    return new MediaFolder(root, relativePath, folder.name, false);
  }

  const subtitles: SubtitleFile[] = [];
  const subfolders: string[] = [];
  const items: MediaItem[] = [];

  for (const [index, entry] of entries.entries()) {
    if (index % 256 === 255) await context.slices.pause();
    // `disk` opens the file, `name` is shown: they differ only for names that are not UTF-8.
    const disk = typeof entry.name === 'string' ? entry.name : fromDiskBytes(entry.name);
    const name = displayName(disk);
    if (isHiddenName(name)) continue;
    let isDirectory = entry.isDirectory();
    let stats: Stats | undefined;
    if (entry.isSymbolicLink()) {
      stats = resolveLink(context, `${absolute}/${disk}`, folder.path + '/' + name);
      if (!stats) continue;
      isDirectory = stats.isDirectory();
    } else if (!isDirectory && !entry.isFile()) {
      continue; // sockets, FIFOs, devices
    }
    if (isDirectory) {
      subfolders.push(disk);
    } else if (subtitleFormatOf(name)) {
      subtitles.push({ name, disk, ...parseSubtitleName(disk) });
    } else {
      const type = mediaTypeOf(name);
      if (!type) continue;
      stats ??= statOrWarn(context, `${absolute}/${disk}`, `${folder.path}/${name}`);
      if (!stats || !readableOrWarn(context, stats, `${folder.path}/${name}`)) continue;
      const childRelative = relativePath === '' ? disk : `${relativePath}/${disk}`;
      const id = knownIds.get(disk) ?? mediaId(root.name, childRelative, context.key);
      items.push(new MediaItem(id, name, type.kind, type.mime, stats.size, stats.mtimeMs, folder, disk));
    }
  }

  folder.items = items.sort((a, b) => naturalCompare(a.name, b.name));
  // One folder after another: the walk is one synchronous stream of syscalls, cut into slices.
  for (const disk of subfolders) {
    const kept = keep.get(disk);
    const child = relativePath === '' ? disk : `${relativePath}/${disk}`;
    folder.folders.push(kept ?? (await scanFolder(context, root, child, { ancestors, before: beforeFolders.get(disk) })));
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

/**
 * Names in a folder. One that is not UTF-8 comes back from a plain readdir with
 * U+FFFD and could not be opened by it: such a folder is read again as bytes (rare,
 * so every other folder keeps the cheaper string read).
 */
function readEntries(context: ScanContext, absolute: string, shown: string): Array<Dirent | Dirent<Buffer>> {
  const entries = fs.readdirSync(fsPath(absolute), { withFileTypes: true });
  if (!entries.some((entry) => entry.name.includes('\uFFFD'))) return entries;
  context.logger.debug(`folder '${shown}' has names that are not UTF-8; they are listed with U+FFFD and served as they are`);
  return fs.readdirSync(fsPath(absolute), { withFileTypes: true, encoding: 'buffer' });
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

function resolveLink(context: ScanContext, absolute: string, shown: string): Stats | undefined {
  try {
    const real = realPathSync(absolute);
    if (!isInside(context.realRoot, real)) {
      context.logger.warn(`'${shown}' is a symlink that leads outside its root; skipped`);
      return undefined;
    }
    return fs.statSync(fsPath(real));
  } catch (error) {
    context.logger.warn(`cannot follow symlink '${shown}' (${fileErrorReason(error)}); skipped`);
    return undefined;
  }
}

function statOrWarn(context: ScanContext, absolute: string, shown: string): Stats | undefined {
  try {
    // A file removed between readdir and stat is not worth a warning (nor the cost of an exception).
    return fs.statSync(fsPath(absolute), { throwIfNoEntry: false });
  } catch (error) {
    context.logger.warn(`cannot read '${shown}' (${fileErrorReason(error)}); skipped`);
    return undefined;
  }
}

function readableOrWarn(context: ScanContext, stats: Stats, shown: string): boolean {
  if (isReadable(stats)) return true;
  context.logger.warn(`cannot read '${shown}' (permission denied); skipped`);
  return false;
}

/** `fs.realpathSync`, keeping bytes that are not UTF-8 (see `realPath`). */
function realPathSync(text: string): string {
  return fromDiskBytes(fs.realpathSync.native(fsPath(text), { encoding: 'buffer' }));
}

const uid = process.getuid?.();
const groups = new Set(process.getgroups?.() ?? []);

// Read permission from the mode bits, without one more syscall per file.
function isReadable(stats: Stats): boolean {
  if (uid === undefined || uid === 0) return true;
  if (stats.uid === uid) return (stats.mode & 0o400) !== 0;
  if (groups.has(stats.gid)) return (stats.mode & 0o040) !== 0;
  return (stats.mode & 0o004) !== 0;
}

/** True if `candidate` is `parent` or lies under it (both real, absolute paths). */
export function isInside(parent: string, candidate: string): boolean {
  return candidate === parent || candidate.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

function fileErrorReason(error: unknown): string {
  const code = errnoCode(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'not found';
  return code ?? errorMessage(error);
}
