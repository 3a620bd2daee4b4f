type Reply = Record<string, unknown>;

/** A request by its key: its reply once made, and who waits for it until then. */
interface Entry<Waiter> {
  reply?: Reply;
  readonly waiters: Set<Waiter>;
}

/**
 * Carries out each request id once: a client resends what was unanswered when its
 * socket dropped, and a repeat gets the reply of the first (kept for the last
 * `size` ids), sent to every socket that asked.
 */
export class OncePerId<Waiter> {
  readonly #size: number;
  readonly #entries = new Map<string, Entry<Waiter>>();

  constructor(size: number) {
    this.#size = size;
  }

  /**
   * Runs `work` for a new key (or with no key, always), then sends its reply with `send`
   * to everyone who asked meanwhile; a repeated key is answered from the kept reply,
   * or waits for it.
   */
  async run(key: string | undefined, waiter: Waiter, work: () => Promise<Reply>, send: (waiter: Waiter, reply: Reply) => void): Promise<void> {
    const seen = key === undefined ? undefined : this.#entries.get(key);
    if (seen) {
      if (seen.reply) send(waiter, seen.reply);
      else seen.waiters.add(waiter);
      return;
    }
    const entry: Entry<Waiter> = { waiters: new Set([waiter]) };
    if (key !== undefined) {
      this.#entries.set(key, entry);
      if (this.#entries.size > this.#size) this.#entries.delete(this.#entries.keys().next().value!);
    }
    entry.reply = await work();
    for (const each of entry.waiters) send(each, entry.reply);
    entry.waiters.clear();
  }
}
