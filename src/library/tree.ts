import path from 'node:path';
import type { MediaFolder, MediaRootConfig } from './model.ts';
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
