// The cards of the grid: one button per folder or item, its picture in a box of fixed
// shape (posters 2:3, covers square, pictures 4:3) so nothing moves as pictures load.
import type { Folder, Item } from './api.ts';
import { el } from './dom.ts';
import { duration, plural, secondLine } from './format.ts';

/** The box a picture sits in; without a picture (or until it loads) it shows the kind's placeholder. */
export function artBox(kind: Item['kind'] | 'folder', src?: string, eager = false): HTMLElement {
  const box = el('span', 'art');
  box.dataset.kind = kind;
  if (src) {
    const img = el('img');
    img.alt = '';
    img.decoding = 'async';
    img.loading = eager ? 'eager' : 'lazy';
    // The placeholder stays when there is no picture (404) or it cannot be read.
    img.addEventListener('error', () => img.remove());
    img.addEventListener('load', () => box.classList.add('loaded'));
    img.src = src;
    box.append(img);
  }
  return box;
}

/** How far into an item its watch history says it was left: 0–1, or undefined. */
export function progressOf(item: Item): number | undefined {
  if (!item.watched) return undefined;
  if (item.watched.finished) return 1;
  if (!item.duration) return undefined;
  return Math.min(1, Math.max(0, item.watched.position / item.duration));
}

/** The thin bar of how much was watched, or a "watched" tick when finished. */
function watchedMarks(item: Item, box: HTMLElement): void {
  if (item.watched?.finished) {
    const tick = el('span', 'badge tick', '✓');
    tick.title = 'Watched';
    box.append(tick);
    return;
  }
  const progress = progressOf(item);
  if (progress === undefined) return;
  const bar = el('span', 'progress');
  const fill = el('span');
  fill.style.width = `${Math.max(2, Math.round(progress * 100))}%`;
  bar.append(fill);
  box.append(bar);
}

function tile(kind: string, box: HTMLElement, title: string, sub: string, onOpen: () => void): HTMLButtonElement {
  const card = el('button', 'tile');
  card.type = 'button';
  card.dataset.kind = kind;
  card.append(box, el('span', 'tile-title', title), el('span', 'tile-sub', sub || '\u00a0'));
  card.addEventListener('click', onOpen);
  return card;
}

/** A media item's card: picture, title, second line, duration, and watch progress. */
export function itemCard(item: Item, onOpen: (item: Item) => void): HTMLButtonElement {
  const box = artBox(item.kind, item.artwork);
  const time = duration(item);
  if (time) box.append(el('span', 'badge duration', time));
  watchedMarks(item, box);
  if (item.problem) box.append(el('span', 'badge warn', 'Cannot play'));
  const card = tile(item.kind, box, item.title || item.name, secondLine(item), () => onOpen(item));
  card.dataset.id = item.id;
  card.title = item.name;
  const state = item.problem ? ', cannot play' : item.watched?.finished ? ', watched' : item.watched ? ', started' : '';
  if (item.problem) card.classList.add('broken');
  card.setAttribute('aria-label', [item.title || item.name, secondLine(item), time].filter(Boolean).join(', ') + state);
  return card;
}

/** A folder's card: the folder icon and how many entries it holds. */
export function folderCard(folder: Folder, onOpen: (folder: Folder) => void): HTMLButtonElement {
  const box = artBox('folder');
  const card = tile('folder', box, folder.name, folder.available ? plural(folder.count, 'item') : 'unavailable now', () => onOpen(folder));
  card.dataset.path = folder.path;
  if (!folder.available) card.classList.add('unavailable');
  return card;
}

/** A grid of cards. */
export function grid(cards: readonly HTMLElement[], className = 'grid'): HTMLElement {
  const element = el('div', className);
  element.append(...cards);
  return element;
}
