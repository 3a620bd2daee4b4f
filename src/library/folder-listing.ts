import type { Dirent, Stats } from 'node:fs';
import fs from 'node:fs';
import { errnoCode, errorMessage } from '../errors.ts';
import { displayName, fromDiskBytes, fsPath } from './disk-names.ts';
import { mediaTypeOf, subtitleFormatOf } from './media-types.ts';

/** Folders that NAS systems fill with their own files (thumbnails, recycle bins). */
const SYSTEM_FOLDERS = new Set(['@eaDir', '#recycle', '#snapshot', '$RECYCLE.BIN', 'lost+found', 'System Volume Information']);

/** Whether a name is hidden: dot files and NAS system folders are never scanned or served. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.') || SYSTEM_FOLDERS.has(name);
}

/** One entry of a folder that the scan keeps: a subfolder, a subtitle file, or a media file with its size. */
export type ListedEntry =
  | { readonly type: 'folder'; readonly disk: string }
  | { readonly type: 'subtitle'; readonly disk: string }
  | { readonly type: 'media'; readonly disk: string; readonly size: number; readonly mtimeMs: number };

/** Something the scan tells the user about an entry it skipped. */
export interface ListingWarning {
  readonly disk: string;
  readonly problem: 'outside' | 'link' | 'unreadable';
  /** The reason in words (`permission denied`, `not found`, an errno code). */
  readonly reason?: string;
}

/** What is in a folder, in plain data (it crosses from the scan's process). */
export interface FolderListing {
  /** The folder's real path, to tell a symlink loop. */
  readonly real: string;
  readonly entries: readonly ListedEntry[];
  readonly warnings: readonly ListingWarning[];
  /** Some names are not UTF-8: they are listed with U+FFFD and served as they are. */
  readonly bytesNames: boolean;
}

/**
 * Lists a folder: the syscalls of a scan (realpath, readdir, a stat per media file and
 * per symlink), synchronous because one thread-pool round trip per file cost far more
 * than the stat (measured: 13–17 s against 1.3–2.4 s for 100,000 files). They run in
 * the scan's own process (see `FolderReader`), never on the event loop.
 *
 * @throws the system's error when the folder itself cannot be read.
 */
export function listFolder(absolute: string, realRoot: string): FolderListing {
  const real = realPathSync(absolute);
  let entries: Array<Dirent | Dirent<Buffer>> = fs.readdirSync(fsPath(absolute), { withFileTypes: true });
  // A name that is not UTF-8 comes back from a plain readdir with U+FFFD and could not be
  // opened by it: such a folder is read again as bytes (rare: the others keep the cheaper read).
  const bytesNames = entries.some((entry) => entry.name.includes('\uFFFD'));
  if (bytesNames) entries = fs.readdirSync(fsPath(absolute), { withFileTypes: true, encoding: 'buffer' });
  const listed: ListedEntry[] = [];
  const warnings: ListingWarning[] = [];
  for (const entry of entries) {
    const disk = typeof entry.name === 'string' ? entry.name : fromDiskBytes(entry.name);
    const name = displayName(disk);
    if (isHiddenName(name)) continue;
    let isDirectory = entry.isDirectory();
    let stats: Stats | undefined;
    if (entry.isSymbolicLink()) {
      stats = resolveLink(`${absolute}/${disk}`, realRoot, disk, warnings);
      if (!stats) continue;
      isDirectory = stats.isDirectory();
    } else if (!isDirectory && !entry.isFile()) {
      continue; // sockets, FIFOs, devices
    }
    if (isDirectory) {
      listed.push({ type: 'folder', disk });
    } else if (subtitleFormatOf(name)) {
      listed.push({ type: 'subtitle', disk });
    } else if (mediaTypeOf(name)) {
      try {
        // A file removed between readdir and stat is not worth a warning (nor the cost of an exception).
        stats ??= fs.statSync(fsPath(`${absolute}/${disk}`), { throwIfNoEntry: false });
      } catch (error) {
        warnings.push({ disk, problem: 'unreadable', reason: fileErrorReason(error) });
        continue;
      }
      if (!stats) continue;
      if (!isReadable(stats)) warnings.push({ disk, problem: 'unreadable', reason: 'permission denied' });
      else listed.push({ type: 'media', disk, size: stats.size, mtimeMs: stats.mtimeMs });
    }
  }
  return { real, entries: listed, warnings, bytesNames };
}

function resolveLink(absolute: string, realRoot: string, disk: string, warnings: ListingWarning[]): Stats | undefined {
  try {
    const real = realPathSync(absolute);
    if (!isInside(realRoot, real)) {
      warnings.push({ disk, problem: 'outside' });
      return undefined;
    }
    return fs.statSync(fsPath(real));
  } catch (error) {
    warnings.push({ disk, problem: 'link', reason: fileErrorReason(error) });
    return undefined;
  }
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
  return candidate === parent || candidate.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

/** A file error in words: `permission denied`, `not found`, else its code. */
export function fileErrorReason(error: unknown): string {
  const code = errnoCode(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'not found';
  return code ?? errorMessage(error);
}
