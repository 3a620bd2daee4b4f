import type { KeyObject } from 'node:crypto';
import { displayName } from './disk-names.ts';
import { mediaId } from './ids.ts';
import type { IndexedFile, IndexStore, ScannedTree } from './index-store.ts';
import { mediaTypeOf } from './media-types.ts';
import { MediaFolder, MediaItem, type MediaRootConfig } from './model.ts';
import { naturalCompare } from './natural-order.ts';
import { attachSubtitles, type Slices, type SubtitleFile } from './scan.ts';
import { parseSubtitleName } from './subtitle-names.ts';

/**
 * A root as the index remembers it, with the same ids a scan gives (they come from
 * the key and the path). Kinds come from today's rules on the name, not from the
 * row, so a file type a newer NasCast adds or drops is right at once.
 */
export async function treeFromIndex(store: IndexStore, root: MediaRootConfig, key: KeyObject | undefined, slices: Slices): Promise<MediaFolder> {
  const top = new MediaFolder(root, '', root.name);
  const written = rootSetting(store.setting(settingName(root)));
  // Rows are by root name: after the name is given to another folder, they are not its
  // files. (An index of schema v1 said nothing of the folder: its rows are taken.)
  if (written && written.path !== root.path) return top;
  const trustIds = written?.ids === idCheck(key);
  const folders = new Map<string, MediaFolder>([['', top]]);
  const folderAt = (relative: string): MediaFolder => {
    let folder = folders.get(relative);
    if (folder) return folder;
    const slash = relative.lastIndexOf('/');
    const parent = folderAt(slash < 0 ? '' : relative.slice(0, slash));
    folder = new MediaFolder(root, relative, displayName(relative.slice(slash + 1)));
    parent.folders.push(folder);
    folders.set(relative, folder);
    return folder;
  };
  for (const relative of store.folders(root.name)) folderAt(relative);
  const subtitles = new Map<MediaFolder, SubtitleFile[]>();
  const unordered = new Set<MediaFolder>(); // with files of no known place (written by an older NasCast)
  // Each folder's stored places, beside its items: a map of item to place held 10,000
  // entries through the whole read (12.6 → 11.7 MB allocated reading 10,000 files).
  const places = new Map<MediaFolder, number[]>();
  let count = 0;
  for (const file of store.files(root.name)) {
    if (++count % 256 === 0) await slices.pause(); // not at every row: an await costs more than a row
    const slash = file.path.lastIndexOf('/');
    const folder = folderAt(slash < 0 ? '' : file.path.slice(0, slash));
    const disk = file.path.slice(slash + 1);
    const name = displayName(disk);
    if (file.kind === 'subtitle') {
      const list = subtitles.get(folder) ?? [];
      list.push({ name, disk, ...parseSubtitleName(disk) });
      subtitles.set(folder, list);
      continue;
    }
    const type = mediaTypeOf(name);
    if (!type) continue;
    const id = trustIds && file.id !== null ? file.id : mediaId(root.name, file.path, key);
    if (file.ord === null) unordered.add(folder);
    folder.items.push(new MediaItem(id, name, type.kind, type.mime, file.size, file.mtime, folder, disk));
    let folderPlaces = places.get(folder);
    if (!folderPlaces) places.set(folder, (folderPlaces = []));
    folderPlaces.push(file.ord ?? 0);
  }
  // Files are put in their stored places (cheaper here than an ORDER BY, whose sort
  // would hold the loop before the first row); names are sorted only without them.
  for (const folder of folders.values()) {
    await slices.pause();
    const placed = unordered.has(folder) ? undefined : inPlaces(folder.items, places.get(folder) ?? []);
    // Exactly its length, as a scan makes it (an array grown by push keeps spare slots).
    folder.items = placed ?? folder.items.sort((a, b) => naturalCompare(a.name, b.name)).slice();
    folder.folders.sort((a, b) => naturalCompare(a.name, b.name));
  }
  for (const [folder, list] of subtitles) attachSubtitles(key, folder, list);
  return top;
}

// `items` put at their places (each 0 to length − 1, each once, as the index writes them),
// or `undefined` if the places are not that (the caller then sorts by name).
function inPlaces(items: readonly MediaItem[], places: readonly number[]): MediaItem[] | undefined {
  const placed = new Array<MediaItem>(items.length);
  for (let index = 0; index < items.length; index++) {
    const place = places[index]!;
    if (!(place >= 0 && place < items.length) || placed[place] !== undefined) return undefined;
    placed[place] = items[index]!;
  }
  return placed;
}

/** What a scanned folder holds, in the form the index stores. */
export async function scannedTree(folder: MediaFolder, slices: Slices): Promise<ScannedTree> {
  const files = new Map<string, IndexedFile>();
  const folders = new Set<string>();
  const unreadable: string[] = [];
  const visit = async (current: MediaFolder): Promise<void> => {
    await slices.pause();
    if (!current.available) {
      unreadable.push(current.relativePath);
      return;
    }
    folders.add(current.relativePath);
    const prefix = current.relativePath === '' ? '' : `${current.relativePath}/`;
    for (const [ord, item] of current.items.entries()) {
      // One string for the key and the row's path (10,000 files: 5.8 → 5.4 MB allocated, kept through the reconcile).
      const path = prefix + item.diskName;
      files.set(path, { path, size: item.size, mtime: item.modified, kind: item.kind, mime: item.mime, id: item.id, ord });
      for (const track of item.subtitles) {
        const trackPath = prefix + track.diskName;
        files.set(trackPath, { path: trackPath, size: 0, mtime: 0, kind: 'subtitle', mime: track.format, id: track.id, ord: null });
      }
    }
    for (const child of current.folders) await visit(child);
  };
  await visit(folder);
  return { files, folders, unreadable };
}

/** What the index says of a root: the folder it was, and the key its ids were made with. */
interface RootSetting {
  readonly path: string;
  readonly ids: string;
}

/** The setting that describes a root's rows. */
export function settingName(root: MediaRootConfig): string {
  return `root:${root.name}`;
}

/** The value of {@link settingName} for rows written now for `root`. */
export function rootSettingOf(root: MediaRootConfig, key: KeyObject | undefined): string {
  return JSON.stringify({ path: root.path, ids: idCheck(key) } satisfies RootSetting);
}

function rootSetting(value: string | undefined): RootSetting | undefined {
  try {
    const parsed = JSON.parse(value ?? 'null') as Partial<RootSetting> | null;
    return typeof parsed?.path === 'string' && typeof parsed.ids === 'string' ? { path: parsed.path, ids: parsed.ids } : undefined;
  } catch {
    return undefined;
  }
}

// Stands for the key (an id no file can have): stored ids are only trusted with the key that made them.
function idCheck(key: KeyObject | undefined): string {
  return mediaId('', '\0ids', key);
}
