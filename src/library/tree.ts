import path from 'node:path';
import type { MediaFolder, MediaItem, MediaRootConfig } from './model.ts';
import { naturalCompare } from './natural-order.ts';

/**
 * The folder now in the tree at this place, found by relative path, not by the
 * virtual one: names that are not UTF-8 can look alike there.
 */
export function folderAt(tree: readonly MediaFolder[], root: MediaRootConfig, relativePath: string): MediaFolder | undefined {
  let found = tree.find((folder) => folder.root === root);
  let prefix = '';
  for (const part of relativePath === '' ? [] : relativePath.split('/')) {
    prefix = prefix === '' ? part : `${prefix}/${part}`;
    found = found?.folders.find((child) => child.relativePath === prefix);
  }
  return found;
}

/**
 * Puts a rescanned folder in the place of the old one: a root is swapped in the
 * returned list, a subfolder in its parent (or dropped from it if it went away).
 */
export function replaceFolder(tree: MediaFolder[], old: MediaFolder, fresh: MediaFolder): MediaFolder[] {
  if (old.relativePath === '') return tree.map((root) => (root === old ? fresh : root));
  const parentPath = path.posix.dirname(old.relativePath);
  const parent = folderAt(tree, old.root, parentPath === '.' ? '' : parentPath);
  if (!parent) return tree;
  if (fresh.available) {
    parent.folders = parent.folders.map((child) => (child === old ? fresh : child));
  } else {
    parent.folders = parent.folders.filter((child) => child !== old); // the folder went away
  }
  parent.folders.sort((a, b) => naturalCompare(a.name, b.name));
  return tree;
}

/** Every item of a tree, folder by folder in natural order. */
export function* itemsOf(tree: readonly MediaFolder[]): IterableIterator<MediaItem> {
  const stack = [...tree].reverse();
  while (stack.length > 0) {
    const folder = stack.pop()!;
    yield* folder.items;
    for (let i = folder.folders.length - 1; i >= 0; i--) stack.push(folder.folders[i]!);
  }
}

/** The folder at a virtual path (`Films/Series/Season 1`); names match exactly, so `..` and `.` match nothing. */
export function folderByPath(tree: readonly MediaFolder[], virtualPath: string): MediaFolder | undefined {
  const [rootName, ...parts] = virtualPath.split('/').filter((part) => part !== '');
  let folder = tree.find((root) => root.name === rootName);
  for (const part of parts) folder = folder?.folders.find((child) => child.name === part);
  return folder;
}

/** The first item whose title (or name) matches `query` exactly, then ignoring case, then as a part of it. */
export function findByTitle(items: Iterable<MediaItem>, query: string): MediaItem | undefined {
  const lower = query.toLowerCase();
  let loose: MediaItem | undefined;
  let partial: MediaItem | undefined;
  for (const item of items) {
    const title = item.title;
    if (title === query || item.name === query) return item;
    const lowerTitle = title.toLowerCase();
    if (!loose && lowerTitle === lower) loose = item;
    if (!partial && lowerTitle.includes(lower)) partial = item;
  }
  return loose ?? partial;
}
