import { createSecretKey, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import { errnoCode, errorMessage } from '../errors.ts';
import { type Logger, partLogger } from '../logger.ts';
import { fsPath, realPath } from './disk-names.ts';
import { LibraryDetails, type ItemDetails } from './library-details.ts';
import { LibraryIndex } from './library-index.ts';
import { MediaFolder, type MediaItem, type MediaRootConfig, type SubtitleTrack } from './model.ts';
import type { ProbeProgress } from './prober.ts';
import type { WatchState } from './watch-history.ts';
import { RootRetry } from './root-retry.ts';
import { validateRoots } from './roots.ts';
import type { MediaLibraryEvents, MediaLibraryOptions } from './library-options.ts';
import { namesOfItem } from './titles.ts';
import { findByTitle, folderAt, folderByPath, itemsOf, replaceFolder } from './tree.ts';
import { ItemIndex } from './item-index.ts';
import { FolderReader } from './folder-reader.ts';
import { isInside, scanFolder, Slices, type ScanContext } from './scan.ts';
import { FolderWatcher } from './watcher.ts';

export type { LibraryUpdate, MediaLibraryEvents, MediaLibraryOptions } from './library-options.ts';

/**
 * The media on the NAS: roots scanned recursively, ids indexed, folders in
 * natural order, kept up to date while it runs.
 *
 * @example
 * ```ts
 * const library = new MediaLibrary({ roots: [{ name: 'Films', path: '/mnt/nas/films' }] });
 * await library.start();
 * for (const item of library.folder('Films')!.items) console.log(item.title);
 * await library.close();
 * ```
 */
export class MediaLibrary extends EventEmitter<MediaLibraryEvents> {
  readonly #roots: readonly MediaRootConfig[];
  readonly #logger: Logger;
  readonly #key: KeyObject | undefined;
  readonly #slices = new Slices();
  // One lister per root: a share that hangs costs its own scan, not the others'.
  readonly #readers = new Map<string, FolderReader>();
  readonly #options: MediaLibraryOptions;
  #tree: MediaFolder[] = [];
  readonly #ids = new ItemIndex();
  readonly #realRoots = new Map<string, string>();
  #watcher: FolderWatcher | undefined;
  readonly #retry: RootRetry;
  #timer: NodeJS.Timeout | undefined;
  // Scans run one at a time, so a watcher event cannot race the periodic rescan.
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #index: LibraryIndex | undefined;
  #details: LibraryDetails | undefined;
  #pendingScans = 0;

  constructor(options: MediaLibraryOptions) {
    super();
    this.#options = options;
    this.#roots = validateRoots(options.roots);
    this.#logger = partLogger(options.logger);
    this.#key = options.key ? createSecretKey(options.key) : undefined;
    this.#retry = new RootRetry({ logger: this.#logger, onBack: (root) => this.#rescanRoot(root) });
  }

  /**
   * Scans every root, then starts watching and the periodic rescan. With an index
   * that holds the roots, it lists them from the index at once instead, and the
   * scan that checks them against the disk runs in the background.
   */
  async start(): Promise<void> {
    const index = await LibraryIndex.open(this.#options, this.#logger);
    this.#index = index;
    if (index.store) {
      this.#details = new LibraryDetails({
        store: index.store,
        roots: this.#roots,
        logger: this.#logger,
        probe: this.#options.probe,
        ffprobePath: this.#options.ffprobePath,
        probeConcurrency: this.#options.probeConcurrency,
        available: (root) => this.#tree.find((folder) => folder.root.name === root)?.available ?? false,
        onStoreFailure: (error) => index.drop(error),
      });
    }
    const remembered = await index.load(this.#roots, this.#key, this.#slices);
    if (remembered) {
      await this.#rememberRoots(remembered);
      this.rescan().catch((error: unknown) => this.#logger.error(`scan after start-up failed: ${errorMessage(error)}`));
    } else {
      await this.rescan();
    }
    if (this.#closed) return;
    if (this.#options.watch !== false) {
      this.#watcher = new FolderWatcher({
        logger: this.#logger,
        debounce: this.#options.debounce ?? 250,
        onChange: (folders) => this.#rescanChanged(folders),
      });
      this.#watcher.sync(this.#tree);
    }
    const interval = this.#options.rescanInterval ?? 5 * 60_000;
    if (interval > 0) {
      this.#timer = setInterval(() => {
        this.rescan().catch((error: unknown) => this.#logger.error(`periodic rescan failed: ${errorMessage(error)}`));
      }, interval);
      this.#timer.unref();
    }
  }

  /** Stops watching and the periodic rescan. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#watcher?.close();
    this.#retry.close();
    // Nothing new starts now; the index closes only once the search pass has let it go.
    const detailsClosed = this.#details?.close();
    await this.#queue;
    await detailsClosed;
    await Promise.all([...this.#readers.values()].map((reader) => reader.close()));
    this.#details?.flushHistory(); // what players reported while the last scans finished
    this.#index?.close();
  }

  /** Scans every root again (what the periodic rescan does). */
  rescan(): Promise<void> {
    return this.#enqueue(async () => {
      const tree = await Promise.all(this.#roots.map((root) => this.#scanRoot(root)));
      this.#tree = tree;
      this.#ids.clear();
      for (const root of tree) this.#ids.add(root);
      this.#watcher?.sync(this.#tree);
      this.#retry.sync(this.#tree);
      for (const root of tree) this.emit('updated', { path: root.path });
      // Browsable now; the index is written next in the queue, so a first start (and
      // every start without a storage folder) does not wait for 100,000 rows to be written.
      void this.#enqueue(async () => {
        for (const root of tree) await this.#index?.save(root, this.#key, this.#slices);
        this.#details?.indexed();
      }).catch((error: unknown) => this.#logger.error(`writing the library index failed: ${errorMessage(error)}`));
    });
  }

  // The index's tree, shown before any scan; real roots are resolved for resolveInsideRoot.
  async #rememberRoots(tree: MediaFolder[]): Promise<void> {
    const started = performance.now();
    await Promise.all(
      this.#roots.map(async (root) => {
        const real = await realPath(root.path).catch(() => undefined);
        if (real) this.#realRoots.set(root.name, real);
      }),
    );
    this.#tree = tree;
    for (const root of tree) this.#ids.add(root);
    this.#logger.info(`library: ${this.#ids.size} files from the index in ${Math.round(performance.now() - started)} ms; checking them against the disk`);
  }

  /**
   * What the library knows of an item beyond its file: names with tags applied, and
   * once probed its duration, streams and tags, or why it cannot be read.
   */
  details(item: MediaItem): ItemDetails {
    return this.#details?.of(item) ?? { names: namesOfItem(item) };
  }

  /** Someone browses or casts from this folder: its files are probed first. */
  want(folder: MediaFolder): void {
    this.#details?.want(folder);
  }

  /**
   * Items whose title, file name, series, artist or album hold every word of `query`
   * (word prefixes; accents and case folded: "amelie" finds "Amélie"), best first:
   * whole-title matches, then titles, series, albums and artists, then file names.
   */
  search(query: string, limit = 50): MediaItem[] {
    return this.#details?.search(query, limit, (id) => this.#ids.item(id)) ?? [];
  }

  /**
   * Resolves once the scans queued now are done and search knows their files (search
   * catches up in the background after each scan: a one-off command waits for it).
   */
  async settled(): Promise<void> {
    // A scan queues the index write behind itself: wait until the queue stops growing.
    for (let queue = this.#queue; ; queue = this.#queue) {
      await queue;
      if (queue === this.#queue) break;
    }
    await this.#details?.searchable();
  }

  /** How far an item was watched (position, finished, when), if it was played. */
  watched(item: MediaItem): WatchState | undefined {
    return this.#details?.watched(item);
  }

  /** Where a load of the item should start when no start is given: where it was left (less a few seconds), if anywhere. */
  resumeAt(item: MediaItem): number | undefined {
    return this.#details?.resumeAt(item);
  }

  /**
   * A player showed the item at `position` seconds (`ended`: it played to the end):
   * the watch history follows every player's status through this. Past ~90 % of the
   * duration the item counts as finished.
   */
  played(item: MediaItem, position: number, duration: number | undefined, ended = false): void {
    this.#details?.played(item, position, duration, ended);
  }

  /** Writes the latest positions the history holds back (it spaces its writes); done at close too. */
  flushHistory(): void {
    this.#details?.flushHistory();
  }

  /** Items started and not finished, most recent first: "continue watching". */
  continueWatching(limit = 20): MediaItem[] {
    return this.#details?.continueWatching(limit, (id) => this.#ids.item(id)) ?? [];
  }

  /**
   * The episode to play next in a series folder (seasons below it included): the first
   * unfinished episode after the last finished one, specials left out; `undefined` when
   * the series is done or the folder holds no episode.
   */
  nextEpisode(series: MediaFolder): MediaItem | undefined {
    return this.#details?.nextEpisode(series);
  }

  /** Whether a scan (or one is queued) is checking the library against the disk now. */
  get scanning(): boolean {
    return this.#pendingScans > 0;
  }

  /** How far probing has got; `undefined` before start, or with probing off. */
  probing(): ProbeProgress | undefined {
    return this.#details?.progress();
  }

  /** The roots, as folders, in configuration order. */
  get roots(): readonly MediaFolder[] {
    return this.#tree;
  }

  /** Number of media items. */
  get size(): number {
    return this.#ids.size;
  }

  /** The media item with this id. */
  get(id: string): MediaItem | undefined {
    return this.#ids.item(id);
  }

  /** The subtitle track with this id. */
  subtitle(id: string): SubtitleTrack | undefined {
    return this.#ids.subtitle(id);
  }

  /** Every media item, folder by folder in natural order. */
  items(): IterableIterator<MediaItem> {
    return itemsOf(this.#tree);
  }

  /**
   * The folder at a virtual path (`Films/Series/Season 1`), or `undefined`.
   * Names are matched exactly: `..`, `.` and hidden names never match anything.
   */
  folder(virtualPath: string): MediaFolder | undefined {
    return folderByPath(this.#tree, virtualPath);
  }

  /**
   * The first item whose title matches `query`: exactly, then ignoring case, then
   * as a part of the title. `undefined` if none does (see {@link search} for words).
   */
  find(query: string): MediaItem | undefined {
    return findByTitle(this.items(), query);
  }

  /**
   * The real path of a file (lossless, like `absolutePath`), checked again at open
   * time: a symlink swapped in after the scan that leads outside the root gives
   * `undefined`. A file gone from disk since the scan rejects with the system's
   * error (`ENOENT`, `ENOTDIR`): it is missing, not outside.
   */
  async resolveInsideRoot(item: MediaItem | SubtitleTrack): Promise<string | undefined> {
    const realRoot = this.#realRoots.get(item.folder.root.name);
    if (!realRoot) return undefined;
    let real: string;
    try {
      real = await realPath(item.absolutePath);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') throw error;
      return undefined;
    }
    return isInside(realRoot, real) ? real : undefined;
  }

  async #scanRoot(root: MediaRootConfig): Promise<MediaFolder> {
    let realRoot: string;
    try {
      realRoot = await realPath(root.path);
      if (!(await fs.stat(fsPath(realRoot))).isDirectory()) throw new Error('not a folder');
    } catch (error) {
      // An unmounted share: the root stays listed, empty, and comes back when RootRetry or a rescan finds it.
      this.#logger.warn(`media folder '${root.name}' (${root.path}) is not available: ${errorMessage(error)}`);
      return new MediaFolder(root, '', root.name, false);
    }
    this.#realRoots.set(root.name, realRoot);
    return scanFolder(this.#scanContext(root, realRoot), root, '', { before: this.#tree.find((folder) => folder.root === root) });
  }

  #rescanChanged(folders: readonly MediaFolder[]): void {
    this.#enqueue(async () => {
      for (const stale of folders) {
        const current = folderAt(this.#tree, stale.root, stale.relativePath);
        if (!current) continue; // replaced meanwhile by a bigger rescan
        const realRoot = this.#realRoots.get(current.root.name);
        if (!realRoot) continue;
        const fresh = await scanFolder(this.#scanContext(current.root, realRoot), current.root, current.relativePath, { previous: current });
        this.#replace(current, fresh);
        this.emit('updated', { path: fresh.path });
        await this.#index?.save(fresh, this.#key, this.#slices);
      }
      this.#details?.indexed();
      this.#watcher?.sync(this.#tree);
      this.#retry.sync(this.#tree);
    }).catch((error: unknown) => this.#logger.error(`rescan after a change failed: ${errorMessage(error)}`));
  }

  // A root that went away can be read again: scan it alone, not the whole library.
  #rescanRoot(root: MediaRootConfig): void {
    if (this.#closed) return;
    this.#enqueue(async () => {
      const current = this.#tree.find((folder) => folder.root === root);
      if (!current || current.available) return;
      const fresh = await this.#scanRoot(root);
      if (fresh.available) this.#logger.info(`media folder '${root.name}' is available again`);
      this.#replace(current, fresh);
      this.#watcher?.sync(this.#tree);
      this.#retry.sync(this.#tree);
      this.emit('updated', { path: fresh.path });
      await this.#index?.save(fresh, this.#key, this.#slices);
      this.#details?.indexed();
    }).catch((error: unknown) => this.#logger.error(`rescan of media folder '${root.name}' failed: ${errorMessage(error)}`));
  }

  #scanContext(root: MediaRootConfig, realRoot: string): ScanContext {
    let reader = this.#readers.get(root.name);
    if (!reader) this.#readers.set(root.name, (reader = new FolderReader()));
    return { key: this.#key, logger: this.#logger, slices: this.#slices, realRoot, reader };
  }

  #replace(old: MediaFolder, fresh: MediaFolder): void {
    this.#ids.remove(old);
    this.#ids.add(fresh);
    this.#tree = replaceFolder(this.#tree, old, fresh);
  }

  #enqueue(job: () => Promise<void>): Promise<void> {
    this.#pendingScans++;
    const run = this.#queue.then(job).finally(() => this.#pendingScans--);
    this.#queue = run.catch(() => {});
    return run;
  }
}
