// The library view: breadcrumbs, "continue watching" at the top, folders then items as
// cards, a series folder's episodes under a heading per season, and search results.
import { ApiError, type Api, type Item, type Listing } from './api.ts';
import { folderCard, grid, itemCard } from './cards.ts';
import type { Devices } from './devices.ts';
import { $, button, clearMessage, el, show } from './dom.ts';
import { plural, seasonName } from './format.ts';

export interface LibraryOptions {
  api: Api;
  devices: Devices;
  /** A card was chosen: show the item's details. */
  open(item: Item): void;
}

/** A series folder's items under a heading per season (in order, specials after), episodes in order. */
export function bySeason(items: readonly Item[]): { heading?: string; items: Item[] }[] {
  if (!items.some((item) => item.season !== undefined)) return [{ items: [...items] }];
  const rank = (season: number | undefined): number => (season === undefined ? Infinity : season === 0 ? 1e9 : season);
  const seasons = [...new Set(items.map((item) => item.season))].sort((a, b) => rank(a) - rank(b));
  return seasons.map((season) => ({
    heading: seasonName(season),
    // A stable sort: items with no episode number keep the listing's (natural) order.
    items: items.filter((item) => item.season === season).sort((a, b) => (a.episode ?? Infinity) - (b.episode ?? Infinity)),
  }));
}

export class LibraryView {
  readonly #options: LibraryOptions;
  #listing: Listing | undefined;
  #searching = false;

  constructor(options: LibraryOptions) {
    this.#options = options;
    options.devices.onChange(() => this.#updatePlayAll());
    $('#play-all').addEventListener('click', () => void this.#playAll());
    window.addEventListener('popstate', (event) => {
      const state = event.state as { path?: unknown } | null;
      if (typeof state?.path === 'string' && state.path !== this.path) void this.open(state.path, false);
    });
  }

  /** The folder shown now (`''` for the roots). */
  get path(): string {
    return this.#listing?.path ?? '';
  }

  /** Lists a folder (`''`: the roots); `remember` adds it to the browser's history. */
  async open(path: string, remember = true): Promise<void> {
    let listing: Listing;
    try {
      listing = await this.#options.api.get<Listing>('library', path ? { path } : {});
    } catch (error) {
      // A folder that went away (an old link, a rename): the roots instead.
      if (error instanceof ApiError && error.status === 404 && path) return this.open('', remember);
      if (!(error instanceof ApiError && error.status === 401)) show((error as Error).message);
      return;
    }
    if (remember && listing.path !== (history.state as { path?: string } | null)?.path) {
      history.pushState({ path: listing.path }, '', listing.path ? `#${encodeURIComponent(listing.path)}` : location.pathname);
    }
    const changed = listing.path !== this.#listing?.path;
    this.render(listing);
    if (changed) window.scrollTo({ top: 0 });
  }

  /** Reads the folder shown again (durations and artwork arrive as probing goes). */
  async refresh(): Promise<void> {
    if (!this.#searching) await this.open(this.path, false);
  }

  render(listing: Listing): void {
    this.#listing = listing;
    this.#searching = false;
    const parts = listing.path ? listing.path.split('/') : [];
    const crumbs = [button('Library', () => void this.open(''))];
    parts.forEach((part, index) => crumbs.push(button(part, () => void this.open(parts.slice(0, index + 1).join('/')))));
    crumbs.at(-1)!.setAttribute('aria-current', 'page');
    $('#crumbs').replaceChildren(...crumbs);
    $('#crumbs').hidden = false;
    this.#updatePlayAll();

    const sections: HTMLElement[] = [];
    const open = (item: Item): void => this.#options.open(item);
    if (listing.folders.length > 0) sections.push(grid(listing.folders.map((folder) => folderCard(folder, (chosen) => void this.open(chosen.path)))));
    for (const group of bySeason(listing.items)) {
      if (group.heading) sections.push(el('h3', 'season', group.heading));
      sections.push(grid(group.items.map((item) => itemCard(item, open))));
    }
    if (sections.length === 0) sections.push(el('p', 'empty', listing.path ? 'This folder is empty.' : 'No media folder is configured.'));
    // A card that had the focus keeps it when the folder is read again.
    const focused = document.activeElement?.closest<HTMLElement>('#grid .tile');
    const key = focused?.dataset.id ?? focused?.dataset.path;
    $('#grid').replaceChildren(...sections);
    if (key !== undefined) [...$('#grid').querySelectorAll<HTMLElement>('.tile')].find((tile) => (tile.dataset.id ?? tile.dataset.path) === key)?.focus();
    void this.#continueRow();
  }

  /** Search results in place of the folder; the folder comes back with {@link restore}. */
  showResults(query: string, items: readonly Item[]): void {
    this.#searching = true;
    $('#crumbs').hidden = true;
    $('#play-all').hidden = true;
    $('#continue').hidden = true;
    const heading = el('h2', 'results', items.length ? `Results for “${query}”` : `Nothing matches “${query}”`);
    const sections: HTMLElement[] = [heading];
    if (items.length) sections.push(grid(items.map((item) => itemCard(item, (chosen) => this.#options.open(chosen)))));
    $('#grid').replaceChildren(...sections);
  }

  /** Back from search results to the folder. */
  restore(): void {
    if (!this.#searching) return;
    if (this.#listing) this.render(this.#listing);
    else void this.open('', false);
  }

  async #continueRow(): Promise<void> {
    const section = $('#continue');
    if (this.path !== '' || this.#searching) {
      section.hidden = true;
      return;
    }
    let items: Item[];
    try {
      items = (await this.#options.api.get<{ items: Item[] }>('continue', { limit: 20 })).items;
    } catch {
      items = []; // an older server, or the token refused (the login shows then)
    }
    if (this.path !== '' || this.#searching) return;
    section.hidden = items.length === 0;
    $('#continue-row').replaceChildren(...items.map((item) => itemCard(item, (chosen) => this.#options.open(chosen))));
  }

  #updatePlayAll(): void {
    const playAll = $<HTMLButtonElement>('#play-all');
    const listing = this.#listing;
    playAll.hidden = this.#searching || !listing?.path || listing.items.length === 0;
    if (playAll.hidden || !listing) return;
    const device = this.#options.devices.chosen;
    playAll.textContent = device ? `▶ Play all on ${device.name}` : '▶ Play all';
    playAll.title = `${plural(listing.items.length, 'item')} from ${listing.path.split('/').at(-1)!}, in order`;
    playAll.disabled = !device;
  }

  async #playAll(): Promise<void> {
    const listing = this.#listing;
    const device = this.#options.devices.chosen;
    if (!listing || !device) return;
    const name = listing.path.split('/').at(-1)!;
    show(`Casting ${name} on ${device.name}…`, 'info');
    try {
      await this.#options.devices.play(listing.path);
      clearMessage();
    } catch (error) {
      show((error as Error).message);
    }
  }
}
