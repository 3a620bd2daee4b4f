import fs from 'node:fs/promises';
import type { Logger } from '../logger.ts';
import type { MediaFolder, MediaRootConfig } from './model.ts';
import { errorMessage } from '../errors.ts';

export interface RootRetryOptions {
  readonly logger: Logger;
  /** Called when a missing root can be read again: rescan it, then call {@link RootRetry.sync}. */
  readonly onBack: (root: MediaRootConfig) => void;
  /** First wait after a root goes away, in ms; doubled after every miss. Default 500. */
  readonly firstDelay?: number;
  /** The longest wait between two looks, in ms. Default 10 s. */
  readonly maxDelay?: number;
}

interface Waiting {
  readonly root: MediaRootConfig;
  delay: number;
  /** `rescan`: found readable and handed to `onBack`; the next sync says whether it came back. */
  phase: 'timer' | 'probe' | 'rescan';
  timer: NodeJS.Timeout | undefined;
}

/**
 * Looks again, with a growing delay, at roots that are not available, so a NAS share
 * that is remounted or a folder that is recreated is back within seconds rather than
 * at the next full rescan (minutes, or never with `rescanInterval: 0`). Looking
 * beats watching the parent: a remount changes nothing the parent's watch sees. The
 * work is bounded: one `opendir` per missing root per wait, never two at once.
 */
export class RootRetry {
  readonly #options: RootRetryOptions;
  readonly #waiting = new Map<string, Waiting>();
  #closed = false;

  constructor(options: RootRetryOptions) {
    this.#options = options;
  }

  /** Looks after exactly the roots of `tree` that are not available. */
  sync(tree: readonly MediaFolder[]): void {
    if (this.#closed) return;
    for (const folder of tree) {
      const waiting = this.#waiting.get(folder.root.name);
      if (folder.available) {
        if (waiting) this.#forget(waiting);
      } else if (!waiting) {
        this.#wait({ root: folder.root, delay: this.#options.firstDelay ?? 500, phase: 'timer', timer: undefined });
      } else if (waiting.phase === 'rescan') {
        // Readable, yet the scan failed (a folder it cannot list): look again later.
        this.#wait(waiting, true);
      }
    }
  }

  close(): void {
    this.#closed = true;
    for (const waiting of this.#waiting.values()) clearTimeout(waiting.timer);
    this.#waiting.clear();
  }

  #wait(waiting: Waiting, longer = false): void {
    if (longer) waiting.delay = Math.min(waiting.delay * 2, this.#options.maxDelay ?? 10_000);
    waiting.phase = 'timer';
    waiting.timer = setTimeout(() => void this.#look(waiting), waiting.delay);
    waiting.timer.unref();
    this.#waiting.set(waiting.root.name, waiting);
  }

  async #look(waiting: Waiting): Promise<void> {
    waiting.phase = 'probe';
    const readable = await fs.opendir(waiting.root.path).then(
      (dir) => dir.close().then(() => true),
      (error: unknown) => {
        this.#options.logger.debug(`media folder '${waiting.root.name}' is still not available: ${errorMessage(error)}`);
        return false;
      },
    );
    if (this.#closed || this.#waiting.get(waiting.root.name) !== waiting) return;
    if (!readable) return this.#wait(waiting, true);
    waiting.phase = 'rescan';
    this.#options.onBack(waiting.root);
  }

  #forget(waiting: Waiting): void {
    clearTimeout(waiting.timer);
    this.#waiting.delete(waiting.root.name);
  }
}
