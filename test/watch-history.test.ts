import { DatabaseSync } from 'node:sqlite';
import test from 'ava';
import fc from 'fast-check';
import { fromDiskBytes, toDiskBytes } from '../src/library/disk-names.ts';
import { migrate } from '../src/library/index-schema.ts';
import { compareEpisodes, nextEpisode, type EpisodeLike } from '../src/library/next-episode.ts';
import { parseMediaName } from '../src/library/titles.ts';
import { isInProgress, resumePosition, WatchHistory, type WatchState } from '../src/library/watch-history.ts';

const T0 = 1_700_000_000_000;

function opened(): { db: DatabaseSync; history: WatchHistory } {
  const db = new DatabaseSync(':memory:');
  migrate(db);
  return { db, history: new WatchHistory(db) };
}

/** The row as written (not what the store holds back in memory). */
function row(db: DatabaseSync, root: string, path: string): { position: number; duration: number | null; finished: number; played_at: number } | undefined {
  return db.prepare('SELECT position, duration, finished, played_at FROM history WHERE root = ? AND path = ?').get(root, toDiskBytes(path)) as never;
}

test('finished at 90 % of the duration, not at 89 %; and for good, across a new store on the same file', (t) => {
  const { db, history } = opened();
  t.deepEqual(history.record('Films', 'a.mkv', 3204, 3600, T0), { position: 3204, duration: 3600, finished: false, playedAt: T0 });
  t.true(history.record('Films', 'b.mkv', 3240, 3600, T0).finished);
  t.is(row(db, 'Films', 'b.mkv')?.finished, 1, 'written at once');
  t.deepEqual(new WatchHistory(db).get('Films', 'b.mkv'), { position: 3240, duration: 3600, finished: true, playedAt: T0 });
  t.is(history.get('Films', 'nothing.mkv'), undefined);
});

test('a position alone never finishes a file of unknown duration; finish() does, at its end or the last position seen', (t) => {
  const { history } = opened();
  t.false(history.record('Films', 'live.ts', 100_000, undefined, T0).finished);
  t.deepEqual(history.finish('Films', 'live.ts', undefined, T0 + 1), { position: 100_000, finished: true, playedAt: T0 + 1 });
  history.record('Films', 'film.mkv', 60, 7200, T0);
  t.deepEqual(history.finish('Films', 'film.mkv', undefined, T0 + 2), { position: 7200, duration: 7200, finished: true, playedAt: T0 + 2 }, 'the known duration is kept');
  t.deepEqual(history.finish('Films', 'never-seen.mkv', 1800, T0 + 3), { position: 1800, duration: 1800, finished: true, playedAt: T0 + 3 });
});

test('a finished file stays finished for a peek and near the end, and is in progress again from 30 s to 90 %', (t) => {
  const { db, history } = opened();
  const done = history.finish('Films', 'a.mkv', 3600, T0);
  t.is(history.record('Films', 'a.mkv', 10, 3600, T0 + 60_000), done, 'a restart: under 30 s in');
  t.is(history.record('Films', 'a.mkv', 29.9, 3600, T0 + 70_000), done);
  t.is(history.record('Films', 'a.mkv', 3500, 3600, T0 + 80_000), done, 'a late status from the end');
  t.deepEqual(history.record('Films', 'a.mkv', 30, 3600, T0 + 81_000), { position: 30, duration: 3600, finished: false, playedAt: T0 + 81_000 });
  t.like(row(db, 'Films', 'a.mkv'), { position: 30, finished: 0 }, 'written at once: the state changed');
  t.true(history.record('Films', 'a.mkv', 3300, 3600, T0 + 82_000).finished, 'and finished again at 90 %');
  // With no duration known, where it ended is the measure.
  history.finish('Films', 'c.ts', undefined, T0);
  history.record('Films', 'c.ts', 100, undefined, T0 + 1);
  t.false(history.get('Films', 'c.ts')!.finished, 'finished knowing nothing: any position past 30 s un-finishes');
  history.record('Films', 'd.ts', 2000, undefined, T0);
  history.finish('Films', 'd.ts', undefined, T0 + 1);
  t.true(history.record('Films', 'd.ts', 1900, undefined, T0 + 2).finished, '95 % of where it ended');
  t.false(history.record('Films', 'd.ts', 1700, undefined, T0 + 3).finished, '85 % of where it ended');
});

test('positions are clamped to the duration; NaN, negative and infinite positions and durations are ignored', (t) => {
  const { db, history } = opened();
  t.deepEqual(history.record('Films', 'a.mkv', 5000, 3600, T0), { position: 3600, duration: 3600, finished: true, playedAt: T0 });
  const before = history.record('Films', 'b.mkv', 100, 3600, T0);
  for (const garbage of [Number.NaN, -1, -Infinity, Infinity]) t.is(history.record('Films', 'b.mkv', garbage, 3600, T0 + 60_000), before, String(garbage));
  t.like(row(db, 'Films', 'b.mkv'), { position: 100, played_at: T0 });
  for (const garbage of [Number.NaN, 0, -5, Infinity]) {
    t.deepEqual(history.record('Films', 'b.mkv', 200, garbage, T0 + 60_000), { position: 200, duration: 3600, finished: false, playedAt: T0 + 60_000 }, `the known duration is kept, not ${garbage}`);
  }
  t.deepEqual(history.record('Films', 'c.mkv', Number.NaN, 3600, T0), { position: 0, duration: 3600, finished: false, playedAt: T0 }, 'nothing known: a zero state');
  t.is(row(db, 'Films', 'c.mkv'), undefined, 'and nothing written');
  t.deepEqual(history.record('Films', 'd.mkv', 50, Number.NaN, T0), { position: 50, finished: false, playedAt: T0 }, 'no duration: not clamped');
});

test('record() writes once per 10 s per file, at once for a seek or a change of finished, and flush() writes what waits', (t) => {
  const { db, history } = opened();
  const written = (): number | undefined => row(db, 'Films', 'a.mkv')?.position;
  history.record('Films', 'a.mkv', 100, 3600, T0);
  t.is(written(), 100, 'the first status of a file is written');
  for (const [second, position] of [[1, 101], [2, 102], [9.9, 109.9]] as const) {
    history.record('Films', 'a.mkv', position, 3600, T0 + second * 1000);
    t.is(written(), 100, `${second} s later: held back`);
  }
  t.is(history.get('Films', 'a.mkv')!.position, 109.9, 'get() sees the latest');
  history.record('Films', 'a.mkv', 110, 3600, T0 + 10_000);
  t.is(written(), 110, '10 s after the last write');
  history.record('Films', 'a.mkv', 141, 3600, T0 + 11_000);
  t.is(written(), 141, 'a seek forward of more than 30 s');
  history.record('Films', 'a.mkv', 141 + 30, 3600, T0 + 12_000);
  t.is(written(), 141, 'a jump of 30 s is not a seek');
  history.record('Films', 'a.mkv', 20, 3600, T0 + 13_000);
  t.is(written(), 20, 'a seek back');
  history.record('Films', 'a.mkv', 3240, 3600, T0 + 14_000);
  t.like(row(db, 'Films', 'a.mkv'), { position: 3240, finished: 1 }, 'finished: written at once');
  history.record('Films', 'a.mkv', 1000, 3600, T0 + 15_000);
  t.like(row(db, 'Films', 'a.mkv'), { position: 1000, finished: 0 }, 'unfinished: written at once');
  history.record('Films', 'a.mkv', 1001, 3600, T0 + 16_000);
  t.like(row(db, 'Films', 'a.mkv'), { position: 1000, played_at: T0 + 15_000 });
  history.flush();
  t.like(row(db, 'Films', 'a.mkv'), { position: 1001, played_at: T0 + 16_000 });
  history.flush();
  t.like(row(db, 'Films', 'a.mkv'), { position: 1001 }, 'a second flush has nothing to write');
});

test('the memory of held-back positions is bounded: the least recently used is written before it is dropped', (t) => {
  const { db, history } = opened();
  history.record('Films', 'first.mkv', 100, 3600, T0);
  history.record('Films', 'first.mkv', 105, 3600, T0 + 5000);
  for (let index = 0; index < 999; index++) history.record('Films', `${index}.mkv`, 60, 3600, T0);
  t.is(row(db, 'Films', 'first.mkv')?.position, 100, '1,000 files: still held');
  history.record('Films', 'one-more.mkv', 60, 3600, T0);
  t.is(row(db, 'Films', 'first.mkv')?.position, 105, 'the 1,001st file pushed it out, written');
  t.is(history.get('Films', 'first.mkv')?.position, 105);
});

test('inProgress() lists started, unfinished files, most recently played first', (t) => {
  const { history } = opened();
  history.record('Films', 'a.mkv', 600, 3600, T0 + 1);
  history.record('Films', 'c.mkv', 50, undefined, T0 + 2);
  history.record('Series', 'b.mkv', 100, 3600, T0 + 3);
  history.record('Films', 'barely.mkv', 29, 3600, T0 + 4);
  history.record('Films', 'done.mkv', 3500, 3600, T0 + 5);
  history.finish('Films', 'ended.mkv', 3600, T0 + 6);
  history.record('Films', 'a.mkv', 610, 3600, T0 + 7); // held back in memory: inProgress() flushes first
  const listed = history.inProgress();
  t.deepEqual(listed.map((entry) => `${entry.root}/${entry.path}`), ['Films/a.mkv', 'Series/b.mkv', 'Films/c.mkv']);
  t.deepEqual(listed[0], { root: 'Films', path: 'a.mkv', position: 610, duration: 3600, finished: false, playedAt: T0 + 7 });
  t.is(history.inProgress(2).length, 2);
});

test('under() holds every file of a root at or below a folder, by byte prefix, names that are not UTF-8 included', (t) => {
  const { history } = opened();
  const latin1 = (text: string): string => fromDiskBytes(Buffer.from(text, 'latin1'));
  const paths = ['Show/S1/E01.mkv', 'Show/S1/E02.mkv', 'Show/E00.mkv', 'Show0/x.mkv', 'Show-extra/y.mkv', 'Show.mkv', 'Shows/z.mkv', latin1('Sh\xe9w/E01.mkv'), 'Shéw/E01.mkv', latin1('Show/\xc9pisode 3.mkv')];
  t.true(paths[7]!.includes('\udce9'), 'a lone surrogate stands for the Latin-1 byte');
  paths.forEach((path, index) => history.record('Series', path, 100 + index, 3600, T0));
  history.record('Other', 'Show/S1/E01.mkv', 1, 3600, T0);
  t.deepEqual([...history.under('Series', 'Show').keys()].sort(), ['Show/E00.mkv', 'Show/S1/E01.mkv', 'Show/S1/E02.mkv', latin1('Show/\xc9pisode 3.mkv')].sort());
  t.deepEqual([...history.under('Series', 'Show/S1').entries()].sort(), [['Show/S1/E01.mkv', { position: 100, duration: 3600, finished: false, playedAt: T0 }], ['Show/S1/E02.mkv', { position: 101, duration: 3600, finished: false, playedAt: T0 }]]);
  t.deepEqual([...history.under('Series', latin1('Sh\xe9w')).keys()], [latin1('Sh\xe9w/E01.mkv')], 'the Latin-1 folder, not its UTF-8 twin');
  t.deepEqual([...history.under('Series', 'Shéw').keys()], ['Shéw/E01.mkv']);
  t.is(history.under('Series', '').size, paths.length, "'' is the whole root");
  t.is(history.under('Series', 'Show/S1/E01.mkv').size, 1, 'a file is its own prefix');
  t.is(history.under('Nowhere', '').size, 0);
});

test('forget() drops the row and what is held in memory', (t) => {
  const { db, history } = opened();
  history.record('Films', 'a.mkv', 100, 3600, T0);
  history.record('Films', 'a.mkv', 102, 3600, T0 + 2000);
  history.forget('Films', 'a.mkv');
  t.is(history.get('Films', 'a.mkv'), undefined);
  history.flush();
  t.is(row(db, 'Films', 'a.mkv'), undefined);
});

test('resumePosition: nothing, finished or under 30 s starts over; else 5 s before where it was left', (t) => {
  const state = (position: number, finished = false): WatchState => ({ position, duration: 3600, finished, playedAt: T0 });
  t.is(resumePosition(undefined), undefined);
  t.is(resumePosition(state(3600, true)), undefined);
  t.is(resumePosition(state(29.9)), undefined);
  t.is(resumePosition(state(30)), 25);
  t.is(resumePosition(state(1234.5)), 1229.5);
});

// ---- next episode ----

type Episode = EpisodeLike & { readonly name: string };

/** Episodes as the library sees them: their names parsed with their folders. */
function series(...paths: string[]): Episode[] {
  return paths.map((path) => {
    const parts = path.split('/');
    const { season, episode, airDate } = parseMediaName(parts.at(-1)!, parts.slice(0, -1));
    return { path, name: parts.at(-1)!, season, episode, airDate };
  });
}

const FINISHED: WatchState = { position: 1300, duration: 1300, finished: true, playedAt: T0 };
const watching = (position: number, playedAt = T0): WatchState => ({ position, duration: 1300, finished: false, playedAt });
/** nextEpisode's answer's name, with states by name. */
function next(episodes: Episode[], states: Record<string, WatchState> = {}): string | undefined {
  return nextEpisode(episodes, (episode) => states[episode.name])?.name;
}

const SHOW = series('Show/Season 2/Show S02E01.mkv', 'Show/Season 1/Show S01E10.mkv', 'Show/Season 1/Show S01E02.mkv', 'Show/Season 1/Show S01E01.mkv', 'Show/Season 2/Show S02E02.mkv');

test('next episode: the first, the one after the last finished, the next season, and none when all are finished', (t) => {
  t.is(next(SHOW), 'Show S01E01.mkv', 'nothing watched');
  t.is(next(SHOW, { 'Show S01E01.mkv': FINISHED }), 'Show S01E02.mkv');
  t.is(next(SHOW, { 'Show S01E01.mkv': FINISHED, 'Show S01E02.mkv': FINISHED }), 'Show S01E10.mkv', 'E10 follows E02');
  t.is(next(SHOW, { 'Show S01E01.mkv': FINISHED, 'Show S01E02.mkv': FINISHED, 'Show S01E10.mkv': FINISHED }), 'Show S02E01.mkv', 'the next season');
  t.is(next(SHOW, Object.fromEntries(SHOW.map((episode) => [episode.name, FINISHED]))), undefined, 'all finished');
  t.is(next(SHOW, { 'Show S02E02.mkv': FINISHED }), undefined, 'the last one finished: nothing after it');
});

test('next episode: after the LAST finished one, past a gap; one in progress after it is resumed', (t) => {
  const show = series(...[1, 2, 3, 4, 5].map((number) => `Show/Show S01E0${number}.mkv`));
  t.is(next(show, { 'Show S01E01.mkv': FINISHED, 'Show S01E03.mkv': FINISHED }), 'Show S01E04.mkv', 'the gap at E02 is passed over');
  t.is(next(show, { 'Show S01E01.mkv': FINISHED, 'Show S01E02.mkv': watching(600) }), 'Show S01E02.mkv', 'in progress: resumed');
  t.is(next(show, { 'Show S01E01.mkv': FINISHED, 'Show S01E04.mkv': watching(600) }), 'Show S01E04.mkv', 'in progress after an unwatched one');
  t.is(next(show, { 'Show S01E03.mkv': watching(600) }), 'Show S01E03.mkv', 'nothing finished, one in progress');
  t.is(next(show, { 'Show S01E02.mkv': watching(600, T0 + 1), 'Show S01E04.mkv': watching(60, T0) }), 'Show S01E02.mkv', 'the most recently played of two');
  t.is(next(show, { 'Show S01E01.mkv': FINISHED, 'Show S01E04.mkv': watching(10) }), 'Show S01E02.mkv', 'barely started is not in progress');
  t.is(next(show, { 'Show S01E02.mkv': watching(600), 'Show S01E03.mkv': FINISHED }), 'Show S01E04.mkv', 'in progress before the last finished: passed over');
});

test('next episode: specials are left out unless there is nothing else; copies of a finished episode count as finished', (t) => {
  const show = series('Show/Specials/Show S00E01.mkv', 'Show/Season 1/Show S01E01.mkv', 'Show/Season 1/Show S01E02.mkv', 'Show/Specials/Show S00E02.mkv');
  t.is(next(show), 'Show S01E01.mkv', 'not the special that sorts first');
  t.is(next(show, { 'Show S00E02.mkv': FINISHED }), 'Show S01E01.mkv', 'a finished special does not move the series on');
  t.is(next(show, { 'Show S01E01.mkv': FINISHED, 'Show S01E02.mkv': FINISHED }), undefined, 'the unwatched specials do not keep it going');
  t.is(next(series('Show/Specials/Show S00E02.mkv', 'Show/Specials/Show S00E01.mkv')), 'Show S00E01.mkv', 'only specials');
  const copies = series('Show/Show S01E01 1080p.mkv', 'Show/Show S01E01 720p.mkv', 'Show/Show S01E02.mkv');
  t.is(next(copies, { 'Show S01E01 1080p.mkv': FINISHED }), 'Show S01E02.mkv');
  t.is(next(copies, { 'Show S01E01 720p.mkv': FINISHED }), 'Show S01E02.mkv');
});

test('next episode: shows named by date follow their dates; episodes without a season follow their numbers', (t) => {
  const daily = series('Show/Show 2023-05-02.mkv', 'Show/Show 2023-05-10.mkv', 'Show/Show 2023-04-30.mkv');
  t.is(next(daily), 'Show 2023-04-30.mkv');
  t.is(next(daily, { 'Show 2023-04-30.mkv': FINISHED }), 'Show 2023-05-02.mkv');
  const flat = series('Show/Episode 10.mkv', 'Show/Episode 2.mkv', 'Show/Episode 1.mkv');
  t.is(next(flat, { 'Episode 1.mkv': FINISHED }), 'Episode 2.mkv');
  t.is(next(flat, { 'Episode 2.mkv': FINISHED }), 'Episode 10.mkv');
  t.is(next([]), undefined);
});

test('next episode, any series and history: the answer is never finished and comes after every finished episode', (t) => {
  const episode = fc.record({ season: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), episode: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }), airDate: fc.option(fc.constantFrom('2023-01-01', '2023-02-01'), { nil: undefined }) });
  const state = fc.option(fc.oneof(fc.constant(FINISHED), fc.record({ position: fc.double({ min: 0, max: 1300, noNaN: true }), finished: fc.constant(false), playedAt: fc.integer({ min: T0, max: T0 + 1000 }) })), { nil: undefined });
  fc.assert(
    fc.property(fc.array(fc.tuple(episode, state), { maxLength: 20 }), (drawn) => {
      const episodes = drawn.map(([fields], index) => ({ ...fields, path: `Show/${index}.mkv` }));
      const states = new Map(episodes.map((item, index) => [item.path, drawn[index]![1]]));
      const answer = nextEpisode(episodes, (item) => states.get(item.path));
      const regular = episodes.filter((item) => item.season !== 0);
      const order = (regular.length > 0 ? regular : episodes).sort(compareEpisodes);
      const finished = (item: EpisodeLike): boolean => states.get(item.path)?.finished === true;
      const copyOfFinished = (item: EpisodeLike): boolean => item.episode !== undefined && order.some((other) => finished(other) && other.episode === item.episode && (other.season ?? 1) === (item.season ?? 1));
      const last = order.findLastIndex(finished);
      // None: everything after the last finished one is finished, or a copy of a finished one.
      if (answer === undefined) return order.slice(last + 1).every((item) => finished(item) || copyOfFinished(item));
      const at = order.indexOf(answer);
      const resumable = order.slice(last + 1).some((item) => !copyOfFinished(item) && isInProgress(states.get(item.path)));
      return at > last && !finished(answer) && !copyOfFinished(answer) && isInProgress(states.get(answer.path)) === resumable;
    }),
  );
  t.pass();
});
