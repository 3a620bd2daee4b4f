import type { PlayerStatus } from '../cast/player.ts';
import { isMediaId } from '../library/ids.ts';
import type { MediaLibrary } from '../library/library.ts';

// A library URL as SignedMedia makes it: `<base>/media/<id>?g=<grant>`.
const MEDIA_PATH = /\/media\/([^/?#]+)(?:[?#]|$)/;

/**
 * Keeps the watch history by following every player's status (Chromecasts, Cast
 * groups, receiver pages): the position of a library item while it plays or is
 * paused, finished when it ends. Statuses of URLs outside the library are ignored.
 */
export class WatchFollower {
  readonly #library: MediaLibrary;
  // What each device showed last, so a stop is recorded where it happened.
  readonly #last = new Map<string, { id: string; position: number; duration: number | undefined }>();

  constructor(library: MediaLibrary) {
    this.#library = library;
  }

  /** A device's status, as the control hub publishes it. */
  observe(device: string, status: PlayerStatus): void {
    const id = mediaIdOf(status.media?.url);
    const item = id === undefined ? undefined : this.#library.get(id);
    if (!item) {
      this.#settle(device);
      return;
    }
    const duration = status.duration !== undefined && status.duration > 0 ? status.duration : undefined;
    if (status.state === 'ENDED') {
      this.#last.delete(device);
      this.#library.played(item, status.position, duration, true);
      return;
    }
    if (status.state === 'PLAYING' || status.state === 'PAUSED' || status.state === 'BUFFERING') {
      this.#last.set(device, { id: item.id, position: status.position, duration });
      this.#library.played(item, status.position, duration);
      // A pause may be the last word for a while: its position is written now.
      if (status.state === 'PAUSED') this.#library.flushHistory();
    }
  }

  // The device moved on (stopped, another URL): the last position seen is written now.
  #settle(device: string): void {
    if (!this.#last.delete(device)) return;
    this.#library.flushHistory();
  }
}

/** The library id in a media URL NasCast signed, if it is one. */
export function mediaIdOf(url: string | undefined): string | undefined {
  const id = url === undefined ? undefined : MEDIA_PATH.exec(url)?.[1];
  return id !== undefined && isMediaId(id) ? id : undefined;
}
