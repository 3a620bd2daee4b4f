import type { KeyObject } from 'node:crypto';
import type { Dirent, Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { displayName, fromDiskBytes, fsPath, realPath } from './disk-names.ts';
import { mediaId } from './ids.ts';
import { Limiter } from './limiter.ts';
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
  readonly limiter: Limiter;
  /** The root's real path, to refuse symlinks that lead outside it. */
  readonly realRoot: string;
}

/**
 * Scans one folder and everything under it. Never throws for what it finds on
 * disk: unreadable folders and files are logged and skipped, so one bad folder
 * does not hide the rest of the NAS.
 */
export async function scanFolder(
  context: ScanContext,
  root: MediaRootConfig,
  relativePath: string,
  options: { ancestors?: ReadonlySet<string>; previous?: MediaFolder } = {},
): Promise<MediaFolder> {
  // A shallow rescan after a change keeps the subfolders already scanned: their own
  // watches report their own changes.
  const scanned = options.previous?.folders.filter((child) => child.available) ?? [];
  const keep = new Map(scanned.map((child) => [path.posix.basename(child.relativePath), child]));
  const folder = new MediaFolder(root, relativePath, relativePath === '' ? root.name : displayName(path.posix.basename(relativePath)));
  const absolute = folder.absolutePath;
  let entries: Array<Dirent | Dirent<Buffer>>;
  let ancestors: Set<string>;
  try {
    const real = await realPath(absolute);
    if (options.ancestors?.has(real)) return folder; // a symlink back up the tree: a loop
    ancestors = new Set(options.ancestors).add(real);
    entries = await context.limiter.run(() => readEntries(context, absolute, folder.path));
  } catch (error) {
    context.logger.warn(`cannot read folder '${folder.path}' (${fileErrorReason(error)}); skipped`);
    return new MediaFolder(root, relativePath, folder.name, false);
  }

  const subtitles: SubtitleFile[] = [];
  const subfolders: Array<Promise<MediaFolder>> = [];
  const files: Array<Promise<MediaItem | undefined>> = [];

  for (const entry of entries) {
    // `disk` opens the file, `name` is shown: they differ only for names that are not UTF-8.
    const disk = typeof entry.name === 'string' ? entry.name : fromDiskBytes(entry.name);
    const name = displayName(disk);
    if (isHiddenName(name)) continue;
    const childRelative = relativePath === '' ? disk : `${relativePath}/${disk}`;
    let isDirectory = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const target = await resolveLink(context, path.join(absolute, disk), folder.path + '/' + name);
      if (!target) continue;
      isDirectory = target.isDirectory();
    } else if (!isDirectory && !entry.isFile()) {
      continue; // sockets, FIFOs, devices
    }
    if (isDirectory) {
      const kept = keep.get(disk);
      subfolders.push(kept ? Promise.resolve(kept) : scanFolder(context, root, childRelative, { ancestors }));
    } else if (subtitleFormatOf(name)) {
      subtitles.push({ name, disk, ...parseSubtitleName(disk) });
    } else {
      const type = mediaTypeOf(name);
      if (!type) continue;
      files.push(
        context.limiter.run(async () => {
          const stats = await statOrWarn(context, path.join(absolute, disk), `${folder.path}/${name}`);
          if (!stats) return undefined;
          return new MediaItem(
            mediaId(root.name, childRelative, context.key),
            name,
            type.kind,
            type.mime,
            stats.size,
            stats.mtimeMs,
            folder,
            disk,
          );
        }),
      );
    }
  }

  folder.items = (await Promise.all(files)).filter((item) => item !== undefined);
  folder.items.sort((a, b) => naturalCompare(a.name, b.name));
  folder.folders = await Promise.all(subfolders);
  folder.folders.sort((a, b) => naturalCompare(a.name, b.name));
  attachSubtitles(context, folder, subtitles);
  return folder;
}

/** A subtitle file found in a folder: shown name, name on disk, and what its name says. */
interface SubtitleFile {
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
async function readEntries(context: ScanContext, absolute: string, shown: string): Promise<Array<Dirent | Dirent<Buffer>>> {
  const entries = await fs.readdir(fsPath(absolute), { withFileTypes: true });
  if (!entries.some((entry) => entry.name.includes('\uFFFD'))) return entries;
  context.logger.debug(`folder '${shown}' has names that are not UTF-8; they are listed with U+FFFD and served as they are`);
  return fs.readdir(fsPath(absolute), { withFileTypes: true, encoding: 'buffer' });
}

function attachSubtitles(context: ScanContext, folder: MediaFolder, subtitles: readonly SubtitleFile[]): void {
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
      mediaId(folder.root.name, relative, context.key),
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

async function resolveLink(context: ScanContext, absolute: string, shown: string): Promise<Stats | undefined> {
  try {
    const real = await realPath(absolute);
    if (!isInside(context.realRoot, real)) {
      context.logger.warn(`'${shown}' is a symlink that leads outside its root; skipped`);
      return undefined;
    }
    return await fs.stat(fsPath(real));
  } catch (error) {
    context.logger.warn(`cannot follow symlink '${shown}' (${fileErrorReason(error)}); skipped`);
    return undefined;
  }
}

async function statOrWarn(context: ScanContext, absolute: string, shown: string): Promise<Stats | undefined> {
  try {
    const stats = await fs.stat(fsPath(absolute));
    if (!isReadable(stats)) {
      context.logger.warn(`cannot read '${shown}' (permission denied); skipped`);
      return undefined;
    }
    return stats;
  } catch (error) {
    // A file removed between readdir and stat is not worth a warning.
    if (errnoCode(error) !== 'ENOENT') context.logger.warn(`cannot read '${shown}' (${fileErrorReason(error)}); skipped`);
    return undefined;
  }
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
