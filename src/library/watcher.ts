import { watch, type FSWatcher } from 'node:fs';
import { errnoCode, errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { fsPath } from './disk-names.ts';
import type { MediaFolder } from './model.ts';

export interface FolderWatcherOptions {
  readonly logger: Logger;
  /** Quiet time after the last event before `onChange` runs, in ms. */
  readonly debounce: number;
  /** At most this many folders are watched; past it the periodic rescan covers the rest. */
  readonly maxFolders?: number;
  /** Called with the folders whose direct contents changed. */
  readonly onChange: (folders: readonly MediaFolder[]) => void;
}

/**
 * One non-recursive `fs.watch` per folder. Node's `recursive: true` is not used:
 * on Linux it is emulated in JavaScript and cannot tell us which folder changed
 * cheaply; one inotify watch per folder can, and lets a change rescan only that
 * folder. Network mounts often report nothing: the library's periodic rescan
 * covers them.
 */
export class FolderWatcher {
  readonly #options: FolderWatcherOptions;
  readonly #watchers = new Map<string, { watcher: FSWatcher; folder: MediaFolder }>();
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #warnedLimit = false;
  #closed = false;

  constructor(options: FolderWatcherOptions) {
    this.#options = options;
  }

  /** Watches exactly the available folders of `tree`, adding and removing watches as needed. */
  sync(tree: readonly MediaFolder[]): void {
    if (this.#closed) return;
    const wanted = new Map<string, MediaFolder>();
    const stack = [...tree];
    while (stack.length > 0) {
      const folder = stack.pop()!;
      if (folder.available) wanted.set(folder.absolutePath, folder);
      stack.push(...folder.folders);
    }
    for (const [key, entry] of this.#watchers) {
      const folder = wanted.get(key);
      if (folder) entry.folder = folder;
      else this.#unwatch(key);
    }
    const max = this.#options.maxFolders ?? 8192;
    for (const [key, folder] of wanted) {
      if (this.#watchers.has(key)) continue;
      if (this.#watchers.size >= max) {
        this.#warnLimit(`more than ${max} folders`);
        break;
      }
      this.#watch(key, folder);
    }
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const key of [...this.#watchers.keys()]) this.#unwatch(key);
  }

  #watch(key: string, folder: MediaFolder): void {
    let watcher: FSWatcher;
    try {
      watcher = watch(fsPath(key), { persistent: false }, () => this.#changed(key));
    } catch (error) {
      if (errnoCode(error) === 'ENOSPC' || errnoCode(error) === 'EMFILE') this.#warnLimit('the inotify limit');
      else this.#options.logger.debug(`cannot watch '${folder.path}': ${errorMessage(error)}`);
      return;
    }
    watcher.on('error', (error) => {
      // The folder was removed or its mount went away: the parent's watch or the rescan sees it.
      this.#options.logger.debug(`stopped watching '${folder.path}': ${error.message}`);
      this.#unwatch(key);
      this.#changed(key);
    });
    this.#watchers.set(key, { watcher, folder });
  }

  #unwatch(key: string): void {
    this.#watchers.get(key)?.watcher.close();
    this.#watchers.delete(key);
  }

  #changed(key: string): void {
    if (this.#closed) return;
    this.#pending.add(key);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(), this.#options.debounce);
    this.#timer.unref();
  }

  #flush(): void {
    const folders: MediaFolder[] = [];
    for (const key of this.#pending) {
      const entry = this.#watchers.get(key);
      if (entry) folders.push(entry.folder);
    }
    this.#pending.clear();
    if (folders.length > 0) this.#options.onChange(folders);
  }

  #warnLimit(what: string): void {
    if (this.#warnedLimit) return;
    this.#warnedLimit = true;
    this.#options.logger.warn(
      `not every folder can be watched (${what}); changes there show up at the next periodic rescan`,
    );
  }
}
