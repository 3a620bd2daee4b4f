import type { PlayerStatus } from '../cast/player.ts';

// A converted stream's URL as SignedMedia makes it: `<base>/stream/<id>/<plan>/master.m3u8?g=…`.
const STREAM_PATH = /\/stream\/([^/?#]+\/[^/?#]+)\//;

/** What the follower stops: the conversions, by stream key (`<id>/<plan>`). */
export interface StreamStopper {
  drop(key: string): Promise<void>;
}

/**
 * Stops a conversion's ffmpeg and deletes its segments as soon as no device plays it:
 * a device that stops, fails, ends or moves to other media lets go of its stream. The
 * idle sweep would stop it too, later; a stop should free the CPU at once.
 */
export class StreamFollower {
  readonly #streams: StreamStopper;
  readonly #playing = new Map<string, string>();

  constructor(streams: StreamStopper) {
    this.#streams = streams;
  }

  /** A device's status, as the control hub publishes it. */
  observe(device: string, status: PlayerStatus): void {
    const key = STREAM_PATH.exec(status.media?.url ?? '')?.[1];
    const holds = key !== undefined && status.state !== 'IDLE' && status.state !== 'ENDED' && status.state !== 'ERROR';
    const held = this.#playing.get(device);
    if (holds) this.#playing.set(device, key);
    else this.#playing.delete(device);
    if (held === undefined || held === (holds ? key : undefined)) return;
    if ([...this.#playing.values()].includes(held)) return;
    void this.#streams.drop(held).catch(() => undefined);
  }
}
