// Search benchmark: 1,000 realistic queries over 100,000 entries shaped like a NAS
// (series episodes, films with years, music by artist and album) in an index file with
// WAL, as the library keeps it. Beside it, in the same run, the same queries answered by
// a LIKE '%word%' scan over a plain table of the same titles, folded.
import fs from 'node:fs';
import type { StatementSync } from 'node:sqlite';
import path from 'node:path';
import { migrate } from '../src/library/index-schema.ts';
import { SearchIndex, type SearchEntry } from '../src/library/search-index.ts';
import { loadSqlite } from '../src/library/sqlite-load.ts';
import { formatTable } from './http.ts';
import { quantile } from './tools.ts';

const ENTRIES = 100_000;
const QUERIES = 1_000;
const LIMIT = 50;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = (
  'the of and a in to love night day man world last time life girl story home dark black blue red king war star dead ' +
  'little big house city road fire water moon sun heart dream blood game secret lost new old river summer winter ' +
  'american wild light shadow ghost street angel devil queen lady boy great return rise fall empire island sea ' +
  'one two first dance song rain snow silver golden iron glass stone paper wolf bird tiger dragon wind storm'
).split(' ');
const ACCENTED = 'Amélie Beyoncé Björk Café Noël Pokémon Léon Señor Über Zoë Mötley Crüe Rós Sigur Élodie Ça Déjà Vu Garçon Fête Naïve Résumé Piñata Jalapeño Señorita Müller Frère Crème Brûlée Mañana Touché Émilie Hélène Éric Françoise Jürgen Göteborg São Paulo Málaga Córdoba'.split(' ');
const SYLLABLES = 'ka lo mi ra ne to sha vin dor el an mar cel lis tor ben gra fen ros qui lan der bel ston ver ma ri on us ta'.split(' ');

function vocabulary(random: () => number): string[] {
  const made = new Set<string>();
  while (made.size < 8_000) {
    let word = '';
    for (let count = 2 + Math.floor(random() * 3); count > 0; count--) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)]!;
    made.add(word);
  }
  return [...made];
}

/** The bench's entries: ~45% episodes, ~15% films, ~40% music tracks, all deterministic. */
export function benchEntries(count = ENTRIES): Array<{ path: string; entry: SearchEntry }> {
  const random = randomFrom(21);
  const tail = vocabulary(random);
  // Words by a Zipf-like law: the common ones often, the long tail rarely.
  const word = (): string => {
    const roll = random();
    if (roll < 0.45) return COMMON[Math.floor(COMMON.length * random() ** 2)]!;
    if (roll < 0.5) return ACCENTED[Math.floor(random() * ACCENTED.length)]!;
    return tail[Math.floor(tail.length * random() ** 1.5)]!;
  };
  const title = (min: number, max: number): string =>
    Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => word())
      .map((each) => each[0]!.toUpperCase() + each.slice(1))
      .join(' ');
  const out: Array<{ path: string; entry: SearchEntry }> = [];
  const pad = (value: number): string => String(value).padStart(2, '0');
  while (out.length < count * 0.45) {
    const series = title(1, 3);
    for (let season = 1, seasons = 1 + Math.floor(random() * 8); season <= seasons; season++) {
      for (let episode = 1, episodes = 6 + Math.floor(random() * 18); episode <= episodes; episode++) {
        const name = random() < 0.15 ? `Episode ${episode}` : title(1, 4);
        const stem = `${series.replaceAll(' ', '.')}.S${pad(season)}E${pad(episode)}.${name.replaceAll(' ', '.')}.1080p.WEB-DL`;
        out.push({ path: `TV/${series}/Season ${season}/${stem}.mkv`, entry: { title: name, series, file: `TV ${series} Season ${season} ${stem}` } });
      }
    }
  }
  while (out.length < count * 0.6) {
    const name = title(1, 4);
    const stem = `${name} (${1950 + Math.floor(random() * 75)})`;
    out.push({ path: `Films/${stem}/${stem} 1080p BluRay.mkv`, entry: { title: name, file: `Films ${stem} ${stem} 1080p BluRay` } });
  }
  while (out.length < count) {
    const artist = title(1, 3);
    for (let albums = 1 + Math.floor(random() * 4); albums > 0 && out.length < count; albums--) {
      const album = title(1, 4);
      for (let track = 1, tracks = 8 + Math.floor(random() * 8); track <= tracks && out.length < count; track++) {
        const name = title(1, 5);
        out.push({ path: `Music/${artist}/${album}/${pad(track)} ${name}.flac`, entry: { title: name, album, people: artist, file: `Music ${artist} ${album} ${pad(track)} ${name}` } });
      }
    }
  }
  return out;
}

/** 1–3 words, prefixes of 2–6 letters of words from the entries, some with accents, some matching nothing. */
export function benchQueries(entries: ReadonlyArray<{ entry: SearchEntry }>, count = QUERIES): string[] {
  const random = randomFrom(7);
  const prefix = (word: string): string => word.slice(0, Math.min(word.length, 2 + Math.floor(random() * 5)));
  const queries: string[] = [];
  while (queries.length < count) {
    const { entry } = entries[Math.floor(random() * entries.length)]!;
    const roll = random();
    const source = roll < 0.7 ? entry.title : roll < 0.9 ? (entry.series ?? entry.people ?? entry.title) : entry.file;
    const words = source.split(/[\s.]+/).filter((each) => /^\p{L}/u.test(each));
    if (words.length === 0) continue;
    const start = Math.floor(random() * words.length);
    const picked = words.slice(start, start + 1 + Math.floor(random() * 3)).map(prefix);
    const which = random();
    if (which < 0.1) queries.push(`${picked.join(' ')} ${'qzx'.slice(0, 1 + Math.floor(random() * 3))}vw`); // matches nothing
    else if (which < 0.2) queries.push(ACCENTED[Math.floor(random() * ACCENTED.length)]!.normalize('NFD').replace(/\p{M}/gu, '').slice(0, 6)); // accents left off
    else if (which < 0.25) queries.push(prefix(ACCENTED[Math.floor(random() * ACCENTED.length)]!)); // typed with accents
    else queries.push(picked.join(' '));
  }
  return queries;
}

const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export async function benchSearch(work: string): Promise<{ table: string; checks: Array<{ target: string; value: string; ok: boolean }> }> {
  const { DatabaseSync } = await loadSqlite();
  const file = path.join(work, 'search-bench.db');
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    migrate(db);
    db.exec('CREATE TABLE titles (id INTEGER PRIMARY KEY, folded TEXT NOT NULL)');
    const index = new SearchIndex(db);
    const entries = benchEntries();
    const addTitle = db.prepare('INSERT INTO titles (folded) VALUES (?)');
    const built = performance.now();
    for (let start = 0; start < entries.length; start += 2_000) {
      db.exec('BEGIN');
      for (const { path: name, entry } of entries.slice(start, start + 2_000)) index.put('Bench', Buffer.from(name), entry);
      db.exec('COMMIT');
    }
    const buildMs = performance.now() - built;
    db.exec('BEGIN');
    for (const { entry } of entries) addTitle.run(fold(entry.title));
    db.exec('COMMIT');
    const queries = benchQueries(entries);
    const wordsOf = (query: string): string[] => fold(query).match(/[\p{L}\p{N}]+/gu) ?? [];
    const counter = db.prepare('SELECT count(*) AS n FROM search WHERE search MATCH ?');
    const matches = queries.map((query) => (counter.get(wordsOf(query).map((word) => `"${word}"*`).join(' ')) as { n: number }).n);
    const likes = new Map<number, StatementSync>();
    const like = (query: string): number => {
      const words = wordsOf(query);
      let statement = likes.get(words.length);
      if (!statement) likes.set(words.length, (statement = db.prepare(`SELECT id FROM titles WHERE ${Array(words.length).fill('folded LIKE ?').join(' AND ')} LIMIT ${LIMIT}`)));
      return statement.all(...words.map((word) => `%${word}%`)).length;
    };
    for (const query of queries.slice(0, 100)) {
      index.search(query, LIMIT); // warm both
      like(query);
    }
    const searchMs: number[] = [];
    const likeMs: number[] = [];
    // Alternated query by query, so a busy moment of the machine hits both sides.
    for (const query of queries) {
      let begin = performance.now();
      index.search(query, LIMIT);
      searchMs.push(performance.now() - begin);
      begin = performance.now();
      like(query);
      likeMs.push(performance.now() - begin);
    }
    const [p50, p99, likeP50, likeP99] = [quantile(searchMs, 0.5), quantile(searchMs, 0.99), quantile(likeMs, 0.5), quantile(likeMs, 0.99)];
    const many = matches.filter((n) => n >= 1_000).length;
    const none = matches.filter((n) => n === 0).length;
    const rows = [
      [`search, ${ENTRIES.toLocaleString('en')} entries, ${QUERIES.toLocaleString('en')} queries, limit ${LIMIT}`, 'p50 ms', 'p99 ms', 'max ms'],
      ["LIKE '%word%' scan of the folded titles, unranked, first 50 (reference)", likeP50.toFixed(2), likeP99.toFixed(2), Math.max(...likeMs).toFixed(2)],
      ['SearchIndex.search (FTS5, ranked by tier and bm25)', p50.toFixed(2), p99.toFixed(2), Math.max(...searchMs).toFixed(2)],
      [`(queries: ${many} match ≥ 1,000 entries, ${none} none; index built in ${buildMs.toFixed(0)} ms)`, '', '', ''],
    ];
    return {
      table: formatTable(rows),
      checks: [{ target: `search p99 over ${ENTRIES.toLocaleString('en')} entries ≤ 20 ms`, value: `${p99.toFixed(2)} ms (p50 ${p50.toFixed(2)}; LIKE scan p99 ${likeP99.toFixed(2)})`, ok: p99 <= 20 }],
    };
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  }
}
