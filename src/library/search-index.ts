import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * Search over the library's titles, series, albums, artists and file names: the FTS5
 * table `search` of schema v3, keyed through `search_keys`. It lives in SQLite, not in
 * an in-memory scan, because the V8 heap budget is ~231 bytes per library entry: an
 * accent-folded copy of every title (and series, album, artist, path) would blow it,
 * where FTS5 reads its prefix indexes from the file and costs the heap nothing.
 */

/** What is searchable of one file. Text is NFC-normalised here; accents and case are folded by the tokenizer. */
export interface SearchEntry {
  readonly title: string;
  readonly series?: string | undefined;
  readonly album?: string | undefined;
  /** The artist and album artist, joined. */
  readonly people?: string | undefined;
  /** The file name without its extension and the names of its folders, so a search by a folder's name finds its files. */
  readonly file: string;
}

/** One file found: its root and its path inside it (the bytes on disk). */
export interface SearchHit {
  readonly root: string;
  readonly path: Buffer;
  /**
   * Lower is better; hits come sorted by it. The integer part is the tier: 0 the title is
   * the words, 1 the title starts with them, 2 the title holds them all, 3 it holds one,
   * 4 the series does, 5 album or people, 6 only the file name; the fraction orders a tier.
   */
  readonly rank: number;
}

/** What a search reads of the user's text at most: longer text is cut, further words ignored. */
export const SEARCH_MAX_CHARS = 200;
export const SEARCH_MAX_WORDS = 10;
/**
 * The most matches one step of a search ranks (the most recently indexed), and the most
 * hits it returns. Ranking reads a row per match (~2 µs): "season" matches every episode,
 * and ranking all 45,000 took 70 ms to tell them apart no better. So a broad prefix ranks
 * only its newest 1,000 matches: a whole-title match older than those may not come first.
 */
export const SEARCH_WINDOW = 1_000;

// bm25 column weights (title, series, album, people, file) order hits within a tier.
// Weights alone cannot make any title match beat any series match (FTS5's bm25
// saturates the weighted frequency and normalises by the whole row's length): hence tiers.
const SCORE = 'bm25(search, 10.0, 5.0, 2.0, 2.0, 1.0)';
// Per row, the best column holding a word (bm25 with one column weighted is < 0 iff it does).
// FTS5 caches a row's positions and sizes, so the extra calls cost little.
const TIER = `CASE WHEN bm25(search, 1.0, 0.0, 0.0, 0.0, 0.0) < 0 THEN 3 WHEN bm25(search, 0.0, 1.0, 0.0, 0.0, 0.0) < 0 THEN 4
  WHEN bm25(search, 0.0, 0.0, 1.0, 1.0, 0.0) < 0 THEN 5 ELSE 6 END`;
// The newest matches of an FTS5 expression (`?`), then ordered in SQLite: the inner LIMIT
// keeps the subquery from being flattened, so only the window's rows are ranked.
const windowed = (columns: string, order: string): string =>
  `SELECT * FROM (SELECT rowid, ${columns} FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT ${SEARCH_WINDOW}) ORDER BY ${order} LIMIT ?`;
// A word: letters, digits and private-use characters, each with its combining marks,
// as unicode61's default token characters ("L* N* Co"); all else separates words, so no
// FTS5 syntax (quotes, `*`, `:`, `^`, parentheses, `+`, `-`) ever reaches the query.
const WORD = /(?:[\p{L}\p{N}\p{Co}]\p{M}*)+/gu;

/** The search index over the v3 tables. Writes join the caller's transaction: none is opened here. */
export class SearchIndex {
  readonly #keyOf: StatementSync;
  readonly #newKey: StatementSync;
  readonly #write: StatementSync;
  readonly #dropKey: StatementSync;
  readonly #dropRow: StatementSync;
  readonly #dropRowsUnder: StatementSync;
  readonly #dropKeysUnder: StatementSync;
  readonly #dropRootRows: StatementSync;
  readonly #dropRootKeys: StatementSync;
  readonly #start: StatementSync;
  readonly #inTitle: StatementSync;
  readonly #anywhere: StatementSync;
  readonly #keyAt: StatementSync;
  readonly #count: StatementSync;

  constructor(db: DatabaseSync) {
    this.#keyOf = db.prepare('SELECT rowid FROM search_keys WHERE root = ? AND path = ?');
    this.#newKey = db.prepare('INSERT INTO search_keys (root, path) VALUES (?, ?)');
    this.#write = db.prepare('INSERT OR REPLACE INTO search (rowid, title, series, album, people, file) VALUES (?, ?, ?, ?, ?, ?)');
    this.#dropKey = db.prepare('DELETE FROM search_keys WHERE root = ? AND path = ? RETURNING rowid');
    this.#dropRow = db.prepare('DELETE FROM search WHERE rowid = ?');
    // Paths compare as bytes: everything under `folder/` sorts between `folder/` and `folder0`.
    const under = 'root = ? AND (path = ? OR (path >= ? AND path < ?))';
    this.#dropRowsUnder = db.prepare(`DELETE FROM search WHERE rowid IN (SELECT rowid FROM search_keys WHERE ${under})`);
    this.#dropKeysUnder = db.prepare(`DELETE FROM search_keys WHERE ${under}`);
    this.#dropRootRows = db.prepare('DELETE FROM search WHERE rowid IN (SELECT rowid FROM search_keys WHERE root = ?)');
    this.#dropRootKeys = db.prepare('DELETE FROM search_keys WHERE root = ?');
    // Titles that start with the words, shortest first: a whole-title match is among the first.
    this.#start = db.prepare(windowed('title, length(title) AS size', 'size, rowid DESC'));
    this.#inTitle = db.prepare(windowed(`${SCORE} AS score`, 'score'));
    this.#anywhere = db.prepare(windowed(`${TIER} AS tier, ${SCORE} AS score`, 'tier, score'));
    this.#keyAt = db.prepare('SELECT root, path FROM search_keys WHERE rowid = ?');
    this.#count = db.prepare('SELECT count(*) AS n FROM search_keys');
  }

  /** Makes (root, path) searchable as `entry`, replacing what it was. */
  put(root: string, path: Buffer, entry: SearchEntry): void {
    const key = this.#keyOf.get(root, path) as { rowid: number } | undefined;
    const rowid = key?.rowid ?? Number(this.#newKey.run(root, path).lastInsertRowid);
    const text = (value: string | undefined): string => (value ?? '').normalize('NFC');
    this.#write.run(rowid, text(entry.title), text(entry.series), text(entry.album), text(entry.people), text(entry.file));
  }

  /** Whether (root, path) is searchable. */
  has(root: string, path: Buffer): boolean {
    return this.#keyOf.get(root, path) !== undefined;
  }

  /** Forgets (root, path); nothing happens if it was not there. */
  remove(root: string, path: Buffer): void {
    const key = this.#dropKey.get(root, path) as { rowid: number } | undefined;
    if (key) this.#dropRow.run(key.rowid);
  }

  /** Forgets `folder` of `root` and everything under it (an empty `folder`: the whole root). */
  removeUnder(root: string, folder: Buffer): void {
    if (folder.length === 0) {
      this.#dropRootRows.run(root);
      this.#dropRootKeys.run(root);
      return;
    }
    const range = [folder, Buffer.concat([folder, Buffer.from('/')]), Buffer.concat([folder, Buffer.from('0')])];
    this.#dropRowsUnder.run(root, ...range);
    this.#dropKeysUnder.run(root, ...range);
  }

  /**
   * The files whose title, series, album, people or file name hold every word of `text`
   * (as word prefixes, accents and case folded), best first, at most `limit`.
   * Never throws on any text: words are quoted, never parsed as FTS5 syntax.
   */
  search(text: string, limit = 50): SearchHit[] {
    const words = wordsOf(text);
    const max = Math.min(Math.floor(limit), SEARCH_WINDOW);
    if (words.length === 0 || !(max > 0)) return [];
    const terms = words.map((word) => `"${word.replaceAll('"', '""')}"*`);
    const all = `(${terms.join(' ')})`;
    const wanted = words.map(fold).join(' ');
    const ranks = new Map<number, number>();
    for (const row of this.#start.all(`{title} : ^ ${terms.join(' + ')}`, max) as Array<{ rowid: number; title: string; size: number }>) {
      ranks.set(row.rowid, (foldedWords(row.title) === wanted ? 0 : 1) + row.size / (row.size + 1));
    }
    // Each step runs only if the ones before it did not fill the limit.
    const steps = [() => this.#inTitle.all(`{title} : ${all}`, max + ranks.size), () => this.#anywhere.all(all, max + ranks.size)];
    for (const step of steps) {
      if (ranks.size >= max) break;
      for (const row of step() as Array<{ rowid: number; tier?: number; score: number }>) {
        if (ranks.size >= max) break;
        if (!ranks.has(row.rowid)) ranks.set(row.rowid, (row.tier ?? 2) + within(row.score));
      }
    }
    const hits: SearchHit[] = [];
    for (const [rowid, rank] of [...ranks].sort((a, b) => a[1] - b[1])) {
      const key = this.#keyAt.get(rowid) as { root: string; path: Uint8Array } | undefined;
      if (key) hits.push({ root: key.root, path: Buffer.from(key.path.buffer, key.path.byteOffset, key.path.byteLength), rank });
    }
    return hits;
  }

  /** How many files are searchable. */
  count(): number {
    return (this.#count.get() as { n: number }).n;
  }
}

function wordsOf(text: string): string[] {
  // A JavaScript caller may pass anything: what is not a string has no words.
  return ((typeof text === 'string' ? text : '').slice(0, SEARCH_MAX_CHARS).normalize('NFC').match(WORD) ?? []).slice(0, SEARCH_MAX_WORDS);
}

// Close to unicode61's folding: enough to tell a whole-title match among titles that start with the words.
function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function foldedWords(title: string): string {
  return (title.normalize('NFC').match(WORD) ?? []).map(fold).join(' ');
}

// bm25 is negative, more negative is better: mapped into (0, 0.5], better lower.
function within(score: number): number {
  return Number.isFinite(score) ? 1 / (2 - Math.min(score, 0)) : 0.5;
}
