import { randomUUID } from 'node:crypto';
import { ControlError } from '../errors.ts';

interface PendingReply {
  readonly device: string;
  resolve(result: Record<string, unknown> | undefined): void;
  reject(error: ControlError): void;
  readonly timer: NodeJS.Timeout;
}

/** Commands sent to receiver pages, waiting for their reply by id, each with a deadline. */
export class PendingCommands {
  readonly #pending = new Map<string, PendingReply>();

  /** A new command id for `device`, and the reply it will get: rejected with `TIMEOUT` after `timeoutMs`. */
  open(device: string, timeoutMs: number, what: string): { id: string; reply: Promise<Record<string, unknown> | undefined> } {
    const id = randomUUID();
    const reply = new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ControlError('TIMEOUT', `the receiver of ${device} did not answer ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { device, resolve, reject, timer });
    });
    return { id, reply };
  }

  /** Settles the command `id` with the receiver's `ok` result or `error`; unknown ids are ignored. */
  settle(id: string | undefined, outcome: { result: Record<string, unknown> | undefined } | { error: ControlError }): void {
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id!);
    clearTimeout(pending.timer);
    if ('error' in outcome) pending.reject(outcome.error);
    else pending.resolve(outcome.result);
  }

  /** Fails, with `DEVICE_OFFLINE`, the commands of `device` (every command when it is undefined). */
  fail(device: string | undefined, why: string): void {
    for (const [id, pending] of this.#pending) {
      if (device !== undefined && pending.device !== device) continue;
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(new ControlError('DEVICE_OFFLINE', why));
    }
  }
}
