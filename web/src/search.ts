// The search box: results as you type (after a 200 ms pause), Escape clears it and
// brings the folder back.
import type { Api, Item } from './api.ts';
import { show } from './dom.ts';
import type { LibraryView } from './library.ts';

const PAUSE_MS = 200;

export function wireSearch(input: HTMLInputElement, api: Api, library: LibraryView): () => void {
  let timer: number | undefined;
  // Only the answer to the latest words is shown, whatever order answers come in.
  let asked = 0;

  const run = async (): Promise<void> => {
    const query = input.value.trim();
    const ask = ++asked;
    if (query === '') return library.restore();
    try {
      const answer = await api.get<{ query: string; items: Item[] }>('search', { q: query, limit: 60 });
      if (ask === asked) library.showResults(query, answer.items);
    } catch (error) {
      if (ask === asked) show((error as Error).message);
    }
  };
  const clear = (): void => {
    window.clearTimeout(timer);
    input.value = '';
    asked++;
    library.restore();
  };

  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void run(), PAUSE_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      clear();
    } else if (event.key === 'Enter') {
      window.clearTimeout(timer);
      void run();
    }
  });
  return clear;
}
