import { ControlError } from '../errors.ts';
import { positionNow } from '../protocol/index.ts';

type Event = Record<string, unknown>;

/**
 * The recent events of each device's room, kept for controllers that subscribe later
 * (a late subscriber sees the recent history first) and for `status` queries.
 */
export class StatusHistory {
  readonly #size: number;
  readonly #events = new Map<string, Event[]>();
  // When each device's last status came: a status query answers where playback is now.
  readonly #statusAt = new Map<string, number>();

  /** `size`: events kept per device. */
  constructor(size: number) {
    this.#size = size;
  }

  /** Keeps an event of `device`'s room, dropping the oldest beyond the size. */
  add(device: string, event: Event): void {
    const events = this.#events.get(device) ?? [];
    events.push(event);
    if (events.length > this.#size) events.shift();
    this.#events.set(device, events);
    if (event.type === 'status') this.#statusAt.set(device, Date.now());
  }

  /** The kept events of a device, oldest first. */
  of(device: string): readonly Event[] {
    return this.#events.get(device) ?? [];
  }

  /** The last status known for a device, without its envelope, its position moved on to now; `UNKNOWN_DEVICE` if none is. */
  lastStatus(device: string): Event {
    const last = this.of(device).findLast((event) => event.type === 'status');
    if (!last) throw new ControlError('UNKNOWN_DEVICE', `no status is known for ${device}`);
    const status = withoutEnvelope(last);
    const { state, position, duration } = status;
    if (typeof state !== 'string' || typeof position !== 'number') return status;
    return { ...status, position: positionNow({ state, position, duration: typeof duration === 'number' ? duration : undefined }, this.#statusAt.get(device) ?? Date.now()) };
  }

  /** Forgets a device (a browser target that left). */
  drop(device: string): void {
    this.#events.delete(device);
    this.#statusAt.delete(device);
  }
}

/** A message's fields without `v`, `type` and `id`. */
export function withoutEnvelope(message: Event): Event {
  const fields = { ...message };
  delete fields.v;
  delete fields.type;
  delete fields.id;
  return fields;
}
