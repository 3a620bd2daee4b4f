import type { KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { INDEX_FILE, openIndex, openMemoryIndex } from './index-open.ts';
import type { IndexStore } from './index-store.ts';
import { rootSettingOf, scannedTree, settingName, treeFromIndex } from './index-tree.ts';
import type { MediaFolder, MediaRootConfig } from './model.ts';
import type { Slices } from './scan.ts';

/** Where the library keeps its index: a storage folder, or the file itself. */
export interface IndexLocation {
  readonly storage?: string | undefined;
  readonly indexFile?: string | undefined;
}

/**
 * The library's side of the index: what to show at start-up, and each scan written
 * back. A failure to write (disk full, folder gone) costs the index, never the
 * library: it warns once and the library goes on in memory.
 */
export class LibraryIndex {
  #store: IndexStore | undefined;
  readonly #logger: Logger;
  readonly #persistent: boolean;

  private constructor(store: IndexStore | undefined, logger: Logger, persistent: boolean) {
    this.#store = store;
    this.#logger = logger;
    this.#persistent = persistent;
  }

  /**
   * Opens the index at `location`; in memory when there is no location or the file
   * cannot be used (it says why), so probing, search and history still work until exit.
   */
  static async open(location: IndexLocation, logger: Logger): Promise<LibraryIndex> {
    const file = location.indexFile ?? (location.storage ? path.join(location.storage, INDEX_FILE) : undefined);
    if (file) {
      // A fresh install has no storage folder yet; if this fails, opening says why.
      await fs.mkdir(path.dirname(file), { recursive: true }).catch(() => {});
      const store = await openIndex(file, logger);
      if (store) return new LibraryIndex(store, logger, true);
    }
    try {
      return new LibraryIndex(await openMemoryIndex(), logger, false);
    } catch (error) {
      // No SQLite at all (a Node built without it): names and sizes, as before the index.
      logger.warn(`the library cannot keep an index (${errorMessage(error)}): no probing, search or watch history`);
      return new LibraryIndex(undefined, logger, false);
    }
  }

  /** The index's store, `undefined` after it failed. */
  get store(): IndexStore | undefined {
    return this.#store;
  }

  /** The roots as last indexed, or `undefined` if the index holds none of them (a first start). */
  async load(roots: readonly MediaRootConfig[], key: KeyObject | undefined, slices: Slices): Promise<MediaFolder[] | undefined> {
    const store = this.#store;
    if (!store || !this.#persistent) return undefined;
    try {
      const tree: MediaFolder[] = [];
      for (const root of roots) tree.push(await treeFromIndex(store, root, key, slices));
      return tree.some((root) => root.items.length > 0 || root.folders.length > 0) ? tree : undefined;
    } catch (error) {
      this.#drop(error);
      return undefined;
    }
  }

  /** Writes what a scan found under `folder` (new, changed and gone files). */
  async save(folder: MediaFolder, key: KeyObject | undefined, slices: Slices): Promise<void> {
    const store = this.#store;
    if (!store) return;
    try {
      const counts = await store.reconcile(folder.root.name, folder.relativePath, await scannedTree(folder, slices));
      // A whole root written, from this folder and with this key: the next start can trust its rows.
      if (folder.relativePath === '' && folder.available) store.setSetting(settingName(folder.root), rootSettingOf(folder.root, key));
      if (counts.added + counts.changed + counts.removed > 0) {
        this.#logger.debug(`index of '${folder.path}': ${counts.added} new, ${counts.changed} changed, ${counts.removed} gone`);
      }
    } catch (error) {
      this.#drop(error);
    }
  }

  /** Closes the file. */
  close(): void {
    this.#store?.close();
    this.#store = undefined;
  }

  /** Gives up the index after it failed (`error`): one warning, and the library goes on in memory. */
  drop(error: unknown): void {
    if (this.#store) this.#drop(error);
  }

  #drop(error: unknown): void {
    this.#logger.warn(`library index failed (${errorMessage(error)}); the library is kept in memory only until the next start`);
    try {
      this.#store?.close();
    } catch {
      // Already broken: closing is best effort.
    }
    this.#store = undefined;
  }
}
