/**
 * A token bucket: `rate` tokens a second, holding at most `burst`. Each message takes
 * one. Unlike a fixed window, it neither cuts an honest client whose messages bunch up
 * when the event loop is busy (they arrive late, together, into a full bucket), nor
 * lets twice the rate through at a window's edge.
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(rate: number, burst = rate, now = performance.now()) {
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = burst;
    this.#last = now;
  }

  /** Takes a token if there is one; `now` in ms (performance.now()'s clock). */
  take(now = performance.now()): boolean {
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
