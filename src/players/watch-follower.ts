import type { PlayerStatus } from '../cast/player.ts';
import { isMediaId } from '../library/ids.ts';
import type { MediaLibrary } from '../library/library.ts';
import type { MediaItem } from '../library/model.ts';

// A library URL as SignedMedia makes it: `<base>/media/<id>?g=<grant>`, or a conversion's `<base>/stream/<id>/<plan>/master.m3u8?g=…`.
const MEDIA_PATH = /\/(?:media\/([^/?#]+)(?:[?#]|$)|stream\/([^/?#]+)\/)/;

/**
 * Keeps the watch history by following every player's status (Chromecasts, Cast
 * groups, receiver pages): the position of a library item while it plays or is
 * paused, finished when it ends. Statuses of URLs outside the library are ignored.
 */
export class WatchFollower {
  readonly #library: MediaLibrary;
  // What each device showed last, so a stop is recorded where it happened: devices report
  // changes, not a position every second, and a stop comes as IDLE with no position of its own.
  readonly #last = new Map<string, { item: MediaItem; position: number; duration: number | undefined; at: number; playing: boolean }>();

  readonly #now: () => number;

  /** `now` gives the time in ms (tests replace it). */
  constructor(library: MediaLibrary, now: () => number = Date.now) {
    this.#library = library;
    this.#now = now;
  }

  /** A device's status, as the control hub publishes it. */
  observe(device: string, status: PlayerStatus): void {
    const id = mediaIdOf(status.media?.url);
    const item = id === undefined ? undefined : this.#library.get(id);
    const active = status.state === 'PLAYING' || status.state === 'PAUSED' || status.state === 'BUFFERING';
    const last = this.#last.get(device);
    if (last && (last.item !== item || !active)) this.#settle(device, last, status.state === 'ENDED' && last.item === item);
    if (!item) return;
    const duration = status.duration !== undefined && status.duration > 0 ? status.duration : undefined;
    if (status.state === 'ENDED') {
      this.#library.played(item, status.position, duration, true);
      return;
    }
    if (!active) return;
    this.#last.set(device, { item, position: status.position, duration, at: this.#now(), playing: status.state === 'PLAYING' });
    this.#library.played(item, status.position, duration);
    // A pause may be the last word for a while: its position is written now.
    if (status.state === 'PAUSED') this.#library.flushHistory();
  }

  // The device moved on (stopped, another item): where it was then, moved on by the time it
  // played since its last status, is written now. An end is recorded by its own status.
  #settle(device: string, last: { item: MediaItem; position: number; duration: number | undefined; at: number; playing: boolean }, ended: boolean): void {
    this.#last.delete(device);
    if (!ended) {
      const position = last.playing ? last.position + (this.#now() - last.at) / 1000 : last.position;
      this.#library.played(last.item, last.duration === undefined ? position : Math.min(position, last.duration), last.duration);
    }
    this.#library.flushHistory();
  }
}

/** The library id in a media URL NasCast signed, if it is one. */
export function mediaIdOf(url: string | undefined): string | undefined {
  const id = url === undefined ? undefined : ((match) => match?.[1] ?? match?.[2])(MEDIA_PATH.exec(url));
  return id !== undefined && isMediaId(id) ? id : undefined;
}
