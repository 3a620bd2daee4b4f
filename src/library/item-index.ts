import type { MediaFolder, MediaItem, SubtitleTrack } from './model.ts';

/** The library's items and subtitle tracks by id, kept level with the tree as folders come and go. */
export class ItemIndex {
  readonly #items = new Map<string, MediaItem>();
  readonly #subtitles = new Map<string, SubtitleTrack>();

  get size(): number {
    return this.#items.size;
  }

  item(id: string): MediaItem | undefined {
    return this.#items.get(id);
  }

  subtitle(id: string): SubtitleTrack | undefined {
    return this.#subtitles.get(id);
  }

  clear(): void {
    this.#items.clear();
    this.#subtitles.clear();
  }

  /** Indexes a folder and everything below it. */
  add(folder: MediaFolder): void {
    for (const item of folder.items) {
      this.#items.set(item.id, item);
      for (const track of item.subtitles) this.#subtitles.set(track.id, track);
    }
    for (const child of folder.folders) this.add(child);
  }

  /** Forgets a folder and everything below it. */
  remove(folder: MediaFolder): void {
    for (const item of folder.items) {
      this.#items.delete(item.id);
      for (const track of item.subtitles) this.#subtitles.delete(track.id);
    }
    for (const child of folder.folders) this.remove(child);
  }
}
