// The artwork of what plays (a song's cover, a film's poster or frame), fetched into
// the page's artwork <img> elements. It counts as there only once it has loaded and
// decoded: an item with none (its URL answers 404) or a picture that cannot be read
// leaves the elements hidden, so the screens keep their plain look and never show a
// broken-image icon.

export class Artwork {
  readonly #images: readonly HTMLImageElement[];
  readonly #onReady: () => void;
  #url: string | undefined;
  #ready = false;

  /** `images` all show the same picture; `onReady` runs when a wanted picture has loaded. */
  constructor(images: readonly HTMLImageElement[], onReady: () => void) {
    this.#images = images;
    this.#onReady = onReady;
  }

  /** Asks for the picture at `url` (none: undefined) and says whether it is loaded. */
  want(url: string | undefined): boolean {
    if (url === this.#url) return this.#ready;
    this.#url = url;
    this.#ready = false;
    for (const image of this.#images) {
      if (url === undefined) image.removeAttribute('src');
      else image.src = url;
    }
    const first = this.#images[0];
    if (url !== undefined && first) {
      // decode() settles for this src only: a later src rejects it, so a slow answer never shows over a newer item.
      first.decode().then(
        () => {
          if (this.#url !== url) return;
          this.#ready = true;
          this.#onReady();
        },
        () => {
          // No artwork (404) or not a picture: the plain screens stay.
        },
      );
    }
    return false;
  }
}
