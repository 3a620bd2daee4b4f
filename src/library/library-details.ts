import type { StatementSync } from 'node:sqlite';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { toDiskBytes } from './disk-names.ts';
import { naturalCompare } from './natural-order.ts';
import { defined } from './media-tags.ts';
import { nextEpisode } from './next-episode.ts';
import { SearchIndex } from './search-index.ts';
import { SearchSync } from './search-sync.ts';
import { resumePosition, WatchHistory, type WatchState } from './watch-history.ts';
import type { MediaInfo } from './media-info.ts';
import type { MediaFolder, MediaItem, MediaRootConfig } from './model.ts';
import { ProbeStore } from './probe-store.ts';
import { Prober, type ProbeProgress } from './prober.ts';
import { namesOfItem, type MediaNames } from './titles.ts';
import { namesWithTags } from './tag-names.ts';
import type { IndexStore } from './index-store.ts';

/** What the library knows of one item: its names (tags over file names) and, once probed, its content. */
export interface ItemDetails {
  readonly names: MediaNames;
  /** What ffprobe found; `undefined` until the file is probed (or without ffprobe). */
  readonly info?: MediaInfo;
  /** Why the file cannot be read (corrupt, empty, unreadable), when the prober found so. */
  readonly problem?: string;
  /** How far it was watched, if it was played. */
  readonly watched?: WatchState;
}

/** Options of {@link LibraryDetails}. */
export interface LibraryDetailsOptions {
  readonly store: IndexStore;
  readonly roots: readonly MediaRootConfig[];
  readonly logger: Logger;
  /** `false`: no probing (names and sizes only). */
  readonly probe?: boolean | undefined;
  readonly ffprobePath?: string | undefined;
  readonly probeConcurrency?: number | undefined;
  /** Whether a root can be read now (an unmounted share's files wait for it). */
  readonly available?: ((root: string) => boolean) | undefined;
  /** The index failed under a part of this: the library drops it. */
  readonly onStoreFailure: (error: unknown) => void;
}

/**
 * The library's knowledge beyond names and sizes, all kept in the index rather than
 * on the V8 heap (the heap's budget is ~231 bytes per item; a probed item's facts are
 * a kilobyte): what the prober found, read back per item when someone asks.
 */
export class LibraryDetails {
  readonly #probes: ProbeStore;
  readonly #prober: Prober | undefined;
  readonly #search: SearchIndex | undefined;
  readonly #searchSync: SearchSync | undefined;
  readonly #history: WatchHistory;
  readonly #idAt: StatementSync;
  readonly #logger: Logger;
  readonly #onStoreFailure: (error: unknown) => void;

  constructor(options: LibraryDetailsOptions) {
    const db = options.store.database;
    this.#logger = options.logger;
    this.#onStoreFailure = options.onStoreFailure;
    this.#probes = new ProbeStore(db);
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'search'").get()) {
      this.#search = new SearchIndex(db);
      this.#searchSync = new SearchSync(db, this.#search);
    } else {
      options.logger.warn("search is not available: this Node's SQLite has no FTS5 (Node 24, or Node 22.16 and later, have it); the rest of the library works");
    }
    this.#history = new WatchHistory(db);
    this.#idAt = db.prepare('SELECT id FROM files WHERE root = ? AND path = ?');
    if (options.probe !== false) {
      this.#probes.retryUnreadable();
      this.#prober = new Prober({
        store: this.#probes,
        roots: new Map(options.roots.map((root) => [root.name, root.path])),
        available: options.available,
        logger: options.logger,
        ffprobePath: options.ffprobePath,
        concurrency: options.probeConcurrency,
        onStoreFailure: options.onStoreFailure,
        // Tags found: the file is searchable by them (a title, an artist, an album).
        onProbed: (file, info) => this.#guard(() => this.#searchSync?.update(file.root, toDiskBytes(file.path), file.kind, info)),
      });
    }
  }

  /** New or changed files are in the index: probe them, and make them searchable. */
  indexed(): void {
    this.#prober?.wake();
    this.#searchSync?.sync().catch((error: unknown) => this.#failed(error));
  }

  /** Resolves when the search index holds what the index holds (a pass runs after each scan). */
  async searchable(): Promise<void> {
    await this.#searchSync?.sync().catch((error: unknown) => this.#failed(error));
  }

  /** Items whose title, file name, series, artist or album hold every word, best first (`lookup` maps ids to items). */
  search(query: string, limit: number, lookup: (id: string) => MediaItem | undefined): MediaItem[] {
    const found: Array<{ item: MediaItem; rank: number }> = [];
    limit = wholeLimit(limit);
    for (const hit of this.#guard(() => this.#search?.search(query, limit + 10)) ?? []) {
      const item = this.#itemAt(hit.root, hit.path, lookup);
      if (item) found.push({ item, rank: hit.rank });
    }
    // Equal ranks (two titles alike but for a number) in the order people expect: natural.
    found.sort((a, b) => a.rank - b.rank || naturalCompare(a.item.path, b.item.path));
    return found.slice(0, limit).map((entry) => entry.item);
  }

  /** How far an item was watched. */
  watched(item: MediaItem): WatchState | undefined {
    return this.#guard(() => this.#history.get(item.folder.root.name, relativeOf(item)));
  }

  /** Where a load of the item should start when the caller did not say: where it was left, if anywhere. */
  resumeAt(item: MediaItem): number | undefined {
    return resumePosition(this.watched(item));
  }

  /** A player showed the item at `position` (seconds); `ended`: it reached the end. */
  played(item: MediaItem, position: number, duration: number | undefined, ended: boolean): void {
    const root = item.folder.root.name;
    this.#guard(() => (ended ? this.#history.finish(root, relativeOf(item), duration) : this.#history.record(root, relativeOf(item), position, duration)));
  }

  /** Writes positions the history holds back (players report often; writes are spaced). */
  flushHistory(): void {
    this.#guard(() => this.#history.flush());
  }

  /** Items started and not finished, most recent first. */
  continueWatching(limit: number, lookup: (id: string) => MediaItem | undefined): MediaItem[] {
    const items: MediaItem[] = [];
    limit = wholeLimit(limit);
    for (const entry of this.#guard(() => this.#history.inProgress(limit * 2)) ?? []) {
      const item = this.#itemAt(entry.root, toDiskBytes(entry.path), lookup);
      if (item && items.length < limit) items.push(item);
    }
    return items;
  }

  /** The episode to play next in a series folder (its seasons included): see `nextEpisode`. */
  nextEpisode(folder: MediaFolder): MediaItem | undefined {
    const states = this.#guard(() => this.#history.under(folder.root.name, folder.relativePath)) ?? new Map<string, WatchState>();
    const episodes: Array<{ item: MediaItem; path: string; season?: number; episode?: number; airDate?: string }> = [];
    const visit = (current: MediaFolder): void => {
      for (const item of current.items) {
        if (item.kind !== 'video') continue;
        const names = namesOfItem(item);
        episodes.push({ item, path: relativeOf(item), ...defined({ season: names.season, episode: names.episode, airDate: names.airDate }) });
      }
      for (const child of current.folders) visit(child);
    };
    visit(folder);
    return nextEpisode(episodes, (episode) => states.get(episode.path))?.item;
  }

  /** Someone looks at (or casts from) this folder: probe its files first. */
  want(folder: MediaFolder): void {
    this.#prober?.want(folder.root.name, folder.relativePath);
  }

  /** Names, tags and probe results of an item. */
  of(item: MediaItem): ItemDetails {
    const stored = this.#guard(() => this.#probes.read(item.folder.root.name, relativeOf(item)));
    const watched = this.watched(item);
    const names = namesOfItem(item);
    const details: ItemDetails = !stored ? { names } : 'error' in stored ? { names, problem: stored.error } : { names: namesWithTags(names, stored.info.tags, item.kind), info: stored.info };
    return watched ? { ...details, watched } : details;
  }

  /** How far probing has got (`undefined` with probing off, or after the index failed). */
  progress(): ProbeProgress | undefined {
    return this.#guard(() => this.#prober?.progress());
  }

  /** Stops probing and the search pass; resolves once nothing of this uses the database. */
  async close(): Promise<void> {
    this.#prober?.close();
    await this.#searchSync?.stop();
    this.flushHistory();
  }

  #itemAt(root: string, path: Buffer, lookup: (id: string) => MediaItem | undefined): MediaItem | undefined {
    const row = this.#idAt.get(root, path) as { id: string | null } | undefined;
    return row?.id ? lookup(row.id) : undefined;
  }

  // A failing index (disk full, file gone) costs the feature, never the caller: the library drops the index once.
  #guard<T>(work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      this.#failed(error);
      return undefined;
    }
  }

  // Only a failing file (I/O, full disk, damage, gone read-only) costs the index; anything
  // else is this call's own trouble, logged, and the index stays.
  #failed(error: unknown): void {
    if (isStorageFailure(error)) {
      this.#onStoreFailure(error);
      return;
    }
    this.#logger.warn(`library index: ${errorMessage(error)}`);
  }
}

// SQLite's primary result codes for a file that fails under us: READONLY, IOERR, CORRUPT,
// CANTOPEN, FULL, NOTADB; a closed database (after a drop) says so in its message.
const STORAGE_FAILURES = new Set([8, 10, 11, 13, 14, 26]);

function isStorageFailure(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof code === 'number') return STORAGE_FAILURES.has(code & 0xff);
  return /database is not open/i.test(errorMessage(error));
}

function relativeOf(item: MediaItem): string {
  const folder = item.folder.relativePath;
  return folder === '' ? item.diskName : `${folder}/${item.diskName}`;
}

// A caller's limit as SQLite takes it: a whole number, 1 to 1,000 (`LIMIT 2.6` is an error).
function wholeLimit(limit: number): number {
  return Math.min(1000, Math.max(1, Math.floor(limit) || 1));
}
