import { DatabaseSync } from 'node:sqlite';
import test from 'ava';
import fc from 'fast-check';
import { migrate, transaction } from '../src/library/index-schema.ts';
import { SEARCH_MAX_WORDS, SEARCH_WINDOW, SearchIndex, type SearchEntry } from '../src/library/search-index.ts';

function index(entries: Record<string, Partial<SearchEntry>> = {}): { db: DatabaseSync; search: SearchIndex } {
  const db = new DatabaseSync(':memory:');
  migrate(db);
  const search = new SearchIndex(db);
  transaction(db, () => {
    for (const [path, entry] of Object.entries(entries)) search.put('Media', Buffer.from(path), { title: '', file: '', ...entry });
  });
  return { db, search };
}

/** The paths found, best first. */
const found = (search: SearchIndex, text: string, limit?: number): string[] => search.search(text, limit).map((hit) => hit.path.toString());

test('accents and case are folded both ways: with or without them, the query finds the text', (t) => {
  const { search } = index({
    amelie: { title: 'Le Fabuleux Destin d’Amélie Poulain' },
    plain: { title: 'Amelie' },
    crazy: { title: 'Crazy in Love', people: 'Beyoncé', album: 'Dangerously in Love' },
    decomposed: { title: 'Cafe\u0301 Society' }, // NFD on disk: normalised when put
  });
  t.deepEqual(found(search, 'amelie').sort(), ['amelie', 'plain']);
  t.deepEqual(found(search, 'AMÉLIE').sort(), ['amelie', 'plain']);
  t.deepEqual(found(search, 'Ame\u0301lie').sort(), ['amelie', 'plain']);
  t.deepEqual(found(search, 'Beyonce'), ['crazy']);
  t.deepEqual(found(search, 'beyoncé'), ['crazy']);
  t.deepEqual(found(search, 'café'), ['decomposed']);
  t.deepEqual(found(search, 'CAFE'), ['decomposed']);
});

test('words are prefixes of words anywhere in the text, and every word must match', (t) => {
  const { search } = index({
    amelie: { title: 'Le Fabuleux Destin d’Amélie Poulain', file: 'Films Amelie (2001)' },
    pilot: { title: 'Pilot', series: 'Breaking Bad', file: 'TV Breaking Bad Season 1 Breaking.Bad.S01E01' },
    point: { title: 'Point Break', file: 'Films Point Break (1991)' },
  });
  t.deepEqual(found(search, 'amel'), ['amelie']);
  t.deepEqual(found(search, 'poul'), ['amelie']);
  t.deepEqual(found(search, 'fab poul'), ['amelie']);
  t.deepEqual(found(search, 'amelie 2001'), ['amelie']);
  t.deepEqual(found(search, 'break pil'), ['pilot']);
  t.deepEqual(found(search, 'break'), ['point', 'pilot'], 'the title match first');
  t.deepEqual(found(search, 'season'), ['pilot'], 'a folder name finds its files');
  t.deepEqual(found(search, 'amelie pilot'), []);
  t.deepEqual(found(search, 'melie'), [], 'a prefix, not a substring');
});

test('ranking: the title itself, then titles that start with the words, then titles, series, album and people, file names', (t) => {
  const { search } = index({
    file: { title: 'Something', file: 'Films Up Collection Something' },
    album: { title: 'Track', album: 'Up All Night' },
    series: { title: 'Episode One', series: 'Up North' },
    lifted: { title: 'Pixar Shorts: Lifted up' },
    air: { title: 'Up in the Air' },
    up: { title: 'Up', file: 'Films Up (2009) Up' },
    upgrade: { title: 'Upgrade' },
    people: { title: 'Song', people: 'Up in Arms' },
  });
  const order = found(search, 'up');
  t.deepEqual(order.slice(0, 5), ['up', 'upgrade', 'air', 'lifted', 'series']);
  t.deepEqual(order.slice(5, 7).sort(), ['album', 'people']);
  t.is(order[7], 'file');
  const ranks = search.search('up').map((hit) => Math.floor(hit.rank));
  t.deepEqual(ranks, [0, 1, 1, 2, 4, 5, 5, 6]);
  t.deepEqual(found(search, 'UP!'), found(search, 'up'), 'punctuation and case do not change a query');
  t.deepEqual(found(search, 'up in'), ['air', 'people'], 'both words in the title beats them in the artist');
  t.deepEqual(found(search, 'up in the air'), ['air']);
  t.is(search.search('up in the air')[0]!.rank < 1, true, 'an exact title match of several words is tier 0');
});

test('ranking holds against bm25: a long title matching once still beats a short series matching twice', (t) => {
  const { search } = index({
    series: { title: 'Pilot', series: 'River River', file: 'River' },
    title: { title: 'A Very Long Title That Mentions The River Somewhere Near Its End', file: 'Films A Very Long Title With Many More Words In The File Name Too' },
  });
  t.deepEqual(found(search, 'river'), ['title', 'series']);
});

test('a word in more files than one step ranks still finds the titles first, and fills the limit', (t) => {
  const entries: Record<string, Partial<SearchEntry>> = { old: { title: 'Season of the Witch' }, older: { title: 'A Season in Hell' } };
  for (let number = 0; number < SEARCH_WINDOW * 1.5; number++) entries[`TV/Show/Season 1/${number}`] = { title: `Episode ${number}`, file: 'TV Show Season 1' };
  const { search } = index(entries);
  const hits = found(search, 'season');
  t.is(hits.length, 50);
  t.deepEqual(hits.slice(0, 2), ['old', 'older']);
  t.is(found(search, 'season', 5_000).length, SEARCH_WINDOW, 'the limit is bounded by the window');
});

test('remove, removeUnder and replace keep the index and the count right', (t) => {
  const { db, search } = index({
    'Films/Up (2009)/Up.mkv': { title: 'Up' },
    'Films/Up (2009)/Extras/Up Shorts.mkv': { title: 'Up Shorts' },
    'Films/Up2/Up Again.mkv': { title: 'Up Again' },
    'Films/Air.mkv': { title: 'Up in the Air' },
  });
  t.is(search.count(), 4);
  search.remove('Media', Buffer.from('Films/Air.mkv'));
  search.remove('Media', Buffer.from('Films/not there.mkv'));
  t.is(search.count(), 3);
  t.false(found(search, 'air').length > 0);
  search.removeUnder('Media', Buffer.from('Films/Up (2009)'));
  t.deepEqual(found(search, 'up'), ['Films/Up2/Up Again.mkv'], 'a folder and all below it, not its namesake with a longer name');
  search.put('Media', Buffer.from('Films/Up2/Up Again.mkv'), { title: 'Down Again', file: 'Films Up2 Down Again' });
  t.is(search.count(), 1);
  t.deepEqual(found(search, 'down'), ['Films/Up2/Up Again.mkv']);
  t.deepEqual(found(search, 'again'), ['Films/Up2/Up Again.mkv'], 'replaced, not added');
  t.is((db.prepare('SELECT count(*) AS n FROM search').get() as { n: number }).n, 1);
  search.put('Other', Buffer.from('x'), { title: 'Down', file: 'x' });
  search.removeUnder('Media', Buffer.alloc(0));
  t.deepEqual(search.search('down').map((hit) => hit.root), ['Other'], 'an empty folder: the whole root, no other');
});

test('paths that are not UTF-8 come back byte for byte', (t) => {
  const { search } = index();
  const path = Buffer.from([0x46, 0x69, 0x6c, 0x6d, 0xe9, 0x2f, 0xff, 0xfe, 0x00, 0x80, 0x2e, 0x6d, 0x6b, 0x76]);
  search.put('Films', path, { title: 'Caf\uFFFD', file: 'Film\uFFFD' });
  const [hit] = search.search('caf');
  t.is(hit!.root, 'Films');
  t.true(hit!.path.equals(path));
  t.true(Buffer.isBuffer(hit!.path));
});

test('the limit is respected, and a query with no word finds nothing', (t) => {
  const entries: Record<string, Partial<SearchEntry>> = {};
  for (let number = 0; number < 120; number++) entries[`Track ${number}`] = { title: `Song ${number}`, people: 'Someone' };
  const { search } = index(entries);
  t.is(search.search('song').length, 50);
  t.is(search.search('song', 7).length, 7);
  t.is(search.search('song', 500).length, 120);
  for (const limit of [0, -1, Number.NaN]) t.deepEqual(search.search('song', limit), []);
  for (const text of ['', '   ', '"*()', '-', '...', '\u0301']) t.deepEqual(search.search(text), [], JSON.stringify(text));
});

test('words past the tenth and text past 200 characters are ignored', (t) => {
  const words = Array.from({ length: SEARCH_MAX_WORDS }, (_, number) => `w${number}`);
  const { search } = index({ all: { title: words.join(' ') } });
  t.deepEqual(found(search, `${words.join(' ')} missing`), ['all']);
  t.deepEqual(found(search, `${'x'.repeat(200)} w1`), []);
  t.deepEqual(found(search, `w1 ${' '.repeat(200)}missing`), ['all']);
});

test('FTS5 syntax in a query is searched as words, never parsed', (t) => {
  const { search } = index({ near: { title: 'Near and Far', series: 'Not Or' }, up: { title: 'Up' } });
  t.deepEqual(found(search, 'title:up'), []);
  t.deepEqual(found(search, 'NEAR(and far)'), ['near']);
  t.deepEqual(found(search, 'near AND far OR'), ['near']);
  t.deepEqual(found(search, 'NOT'), ['near']);
  t.deepEqual(found(search, '"up'), ['up']);
  t.deepEqual(found(search, '^up*'), ['up']);
  t.deepEqual(found(search, '-up +up'), ['up']);
  for (const text of ['"', '""', '*', '(', ')', ':', '^', '-', '+', 'NEAR', 'NEAR(', 'AND', 'OR', 'NOT', '{title}', 'a"b', '\0', 'up\0air', '\uD800', '😀']) {
    t.notThrows(() => search.search(text), JSON.stringify(text));
  }
});

// 10,000 entries of any text, queries of any text and FTS5 syntax: a search never throws,
// returns at most the limit, sorted by rank, each hit a (root, path) that was put.
test('any query over 10,000 random entries: never throws, hits are well formed and sorted', (t) => {
  const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
  const entry = fc.record({ title: text, series: fc.option(text, { nil: undefined }), album: fc.option(text, { nil: undefined }), people: fc.option(text, { nil: undefined }), file: text });
  const { db, search } = index();
  const paths = new Set<string>();
  transaction(db, () => {
    fc.sample(entry, { numRuns: 10_000, seed: 21 }).forEach((value, number) => {
      const path = Buffer.from(`${number}/${value.file}`);
      paths.add(path.toString('hex'));
      search.put('Root', path, value);
    });
  });
  t.is(search.count(), 10_000);
  const syntax = fc.constantFrom('"', '*', '(', ')', ':', '^', '-', '+', 'NEAR', 'NEAR(', 'AND', 'OR', 'NOT', '{', '}', ',', ' ', 'title:', 'a', 'e', 'the', 'é', '\0');
  const query = fc.oneof(text, fc.array(fc.oneof(syntax, text), { maxLength: 14 }).map((parts) => parts.join('')), fc.string({ maxLength: 300 }));
  fc.assert(
    fc.property(query, fc.integer({ min: -5, max: 80 }), (value, limit) => {
      const hits = search.search(value, limit);
      if (hits.length > Math.max(0, limit)) return false;
      return hits.every((hit, at) => hit.root === 'Root' && paths.has(hit.path.toString('hex')) && (at === 0 || hits[at - 1]!.rank <= hit.rank));
    }),
    { numRuns: 1_500 },
  );
  t.true(search.search('a').length > 0, 'the random entries are searchable');
});

test('hits are exactly the entries holding every word as a prefix (against a plain scan)', (t) => {
  const word = fc.constantFrom('up', 'upper', 'air', 'amélie', 'amelie', 'café', 'love', 'lover', 'the', 'river', 'ça', 'noël');
  const words = fc.array(word, { minLength: 1, maxLength: 4 }).map((each) => each.join(' '));
  const entry = fc.record({ title: words, series: fc.option(words, { nil: undefined }), people: fc.option(words, { nil: undefined }), file: words });
  const entries = fc.sample(entry, { numRuns: 1_500, seed: 7 });
  const { db, search } = index();
  transaction(db, () => entries.forEach((value, number) => search.put('Root', Buffer.from(String(number)), value)));
  const fold = (text: string): string[] => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().split(/\s+/);
  fc.assert(
    fc.property(fc.array(word.map((each) => each.slice(0, 1 + (each.length % 3))), { minLength: 1, maxLength: 3 }), (query) => {
      const wanted = fold(query.join(' '));
      const expected = entries.flatMap((value, number) => {
        const tokens = fold([value.title, value.series ?? '', value.people ?? '', value.file].join(' '));
        return wanted.every((prefix) => tokens.some((token) => token.startsWith(prefix))) ? [String(number)] : [];
      });
      const hits = found(search, query.join(' '), 1_000);
      return expected.length > 1_000 || hits.sort().join() === expected.sort().join();
    }),
    { numRuns: 200 },
  );
  t.pass();
});
