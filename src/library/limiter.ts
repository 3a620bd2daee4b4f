/**
 * Runs at most `concurrency` async jobs at once. The scan uses it so a tree of
 * 100,000 files keeps libuv's thread pool busy without queueing 100,000 stats.
 */
export class Limiter {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  readonly concurrency: number;

  constructor(concurrency: number) {
    this.concurrency = concurrency;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrency) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#running++;
    try {
      return await job();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
}
