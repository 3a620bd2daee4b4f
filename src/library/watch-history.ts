import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { fromDiskBytes, toDiskBytes } from './disk-names.ts';

/** How far a file has been watched. */
export interface WatchState {
  /** Seconds in, within [0, duration]; once finished, the end (or the last position seen when the duration is unknown). */
  readonly position: number;
  /** Seconds, once a player has told it. */
  readonly duration?: number;
  readonly finished: boolean;
  /** When last played, ms since the epoch. */
  readonly playedAt: number;
}

/** A file's {@link WatchState}, with the root and the lossless path (see `fromDiskBytes`) it is of. */
export interface HistoryEntry extends WatchState { readonly root: string; readonly path: string }

/**
 * Finished at 90 % in, as Jellyfin and Plex count it: the credits of a film or an episode
 * are left. No "last 2 minutes" rule besides: past 20 minutes 90 % comes first anyway,
 * and below it that rule would finish a 12-minute cartoon at 83 %.
 */
export const FINISHED_FRACTION = 0.9;
/** Less than this far in (s), there is nothing to resume: starting over is nicer, and a peek does not undo "finished". */
export const RESUME_MINIMUM = 30;
const REWIND = 5; // s of context before a resumed position
const WRITE_INTERVAL = 10_000; // ms: players report status several times a second
const SEEK = 30; // s: a jump larger than this is a seek, written at once
const REMEMBERED = 1_000;

/** Where to start a file: undefined for nothing, finished or under {@link RESUME_MINIMUM} s in; else 5 s before where it was left. */
export function resumePosition(state: WatchState | undefined): number | undefined {
  if (!state || state.finished || state.position < RESUME_MINIMUM) return undefined;
  return Math.max(0, state.position - REWIND);
}

/** True when a file is started and not finished: {@link resumePosition} has a place for it. */
export function isInProgress(state: WatchState | undefined): boolean {
  return resumePosition(state) !== undefined;
}

interface Remembered { readonly root: string; readonly path: string; written: WatchState | undefined; latest: WatchState }

/**
 * What has been watched, in the index's `history` table (kept by root and path, so it
 * outlives a re-encode or a new key). Rules:
 * - a position that is not a finite number ≥ 0 is ignored; one past the duration is the duration;
 * - finished at {@link FINISHED_FRACTION} of the duration, or by {@link finish} (the player
 *   reached the end); never by position alone while the duration is unknown;
 * - a finished file stays finished when played again from the start (a peek, or the first
 *   {@link RESUME_MINIMUM} s) and becomes in progress again from there up to 90 % (of its
 *   duration; of where it ended when that is unknown);
 * - {@link record} writes at most once per 10 s per file, unless the file turns finished or
 *   unfinished or the position jumps by more than 30 s (a seek); the latest position waits
 *   in memory (1,000 files at most) for the next write or {@link flush}.
 *
 * SQLite errors are thrown, from the writes too: the caller decides what to log.
 */
export class WatchHistory {
  readonly #sql: Readonly<Record<'select' | 'upsert' | 'delete' | 'recent' | 'root' | 'under', StatementSync>>;
  readonly #memory = new Map<string, Remembered>(); // by `root\0path`, most recently used last

  constructor(db: DatabaseSync) {
    const columns = 'SELECT root, path, position, duration, finished, played_at FROM history';
    this.#sql = {
      select: db.prepare(`${columns} WHERE root = ? AND path = ?`),
      upsert: db.prepare(
        `INSERT INTO history (root, path, position, duration, finished, played_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (root, path) DO UPDATE SET position = excluded.position, duration = excluded.duration,
           finished = excluded.finished, played_at = excluded.played_at`,
      ),
      delete: db.prepare('DELETE FROM history WHERE root = ? AND path = ?'),
      // `history_recent` walks played_at backwards; the few finished rows met on the way are skipped.
      recent: db.prepare(`${columns} WHERE finished = 0 AND position >= ? ORDER BY played_at DESC, root, path LIMIT ?`),
      root: db.prepare(`${columns} WHERE root = ?`),
      // Paths compare as bytes: '0' follows '/', so [folder/, folder0) is everything below folder.
      under: db.prepare(`${columns} WHERE root = ? AND (path = ? OR (path >= ? AND path < ?))`),
    };
  }

  /** Records a position (s) seen in a player's status; see the class's rules for what is kept and when it is written. */
  record(root: string, path: string, position: number, duration: number | undefined, now = Date.now()): WatchState {
    const known = this.#memory.get(`${root}\0${path}`) ?? { root, path, written: this.#read(root, path), latest: undefined };
    const previous = known.latest ?? known.written;
    if (!Number.isFinite(position) || position < 0) return previous ?? watchState(0, length(duration), false, now);
    const total = length(duration) ?? previous?.duration;
    const at = total === undefined ? position : Math.min(position, total);
    let next = watchState(at, total, total !== undefined && at >= FINISHED_FRACTION * total, now);
    if (previous?.finished) {
      // Where it ended stands for an unknown duration; nothing known at all: any position past the first 30 s.
      if (at < RESUME_MINIMUM || at >= FINISHED_FRACTION * (total ?? (previous.position || Infinity))) return previous;
      next = watchState(at, total, false, now);
    }
    const { written } = known;
    const due = !written || written.finished !== next.finished || Math.abs(now - written.playedAt) >= WRITE_INTERVAL || Math.abs(at - (previous?.position ?? 0)) > SEEK;
    if (due) this.#write(root, path, next);
    this.#remember({ root, path, written: due ? next : written, latest: next });
    return next;
  }

  /** Marks a file finished: the player reached its end (IDLE with reason FINISHED). Always written. */
  finish(root: string, path: string, duration: number | undefined, now = Date.now()): WatchState {
    const previous = this.get(root, path);
    const total = length(duration) ?? previous?.duration;
    const next = watchState(total ?? previous?.position ?? 0, total, true, now);
    this.#write(root, path, next);
    this.#remember({ root, path, written: next, latest: next });
    return next;
  }

  /** A file's state, the latest position seen included (written or not). */
  get(root: string, path: string): WatchState | undefined {
    return this.#memory.get(`${root}\0${path}`)?.latest ?? this.#read(root, path);
  }

  /** Started ({@link RESUME_MINIMUM} s in or more) and not finished, most recent first: the "continue watching" list. Flushes first. */
  inProgress(limit = 20): HistoryEntry[] {
    this.flush();
    return this.#sql.recent.all(RESUME_MINIMUM, limit).map((row) => ({ root: row.root as string, path: pathOf(row), ...stateOf(row) }));
  }

  /** The state of every file of a root at or below `folder` (`''`: the whole root), by path. Flushes first. */
  under(root: string, folder: string): Map<string, WatchState> {
    this.flush();
    const prefix = toDiskBytes(folder);
    const rows = folder === '' ? this.#sql.root.all(root) : this.#sql.under.all(root, prefix, Buffer.concat([prefix, Buffer.from('/')]), Buffer.concat([prefix, Buffer.from('0')]));
    return new Map(rows.map((row) => [pathOf(row), stateOf(row)]));
  }

  /** Forgets a file's history. */
  forget(root: string, path: string): void {
    this.#memory.delete(`${root}\0${path}`);
    this.#sql.delete.run(root, toDiskBytes(path));
  }

  /** Writes the latest positions {@link record} held back (the lead calls it on pause, stop and close). */
  flush(): void {
    for (const known of this.#memory.values()) {
      if (known.written === known.latest) continue;
      this.#write(known.root, known.path, known.latest);
      known.written = known.latest;
    }
  }

  #read(root: string, path: string): WatchState | undefined {
    const row = this.#sql.select.get(root, toDiskBytes(path));
    return row && stateOf(row);
  }

  #write(root: string, path: string, state: WatchState): void {
    this.#sql.upsert.run(root, toDiskBytes(path), state.position, state.duration ?? null, state.finished ? 1 : 0, state.playedAt);
  }

  // Past the bound the least recently used is dropped, its held-back position written first.
  #remember(known: Remembered): void {
    const key = `${known.root}\0${known.path}`;
    this.#memory.delete(key);
    this.#memory.set(key, known);
    if (this.#memory.size <= REMEMBERED) return;
    const [oldest, dropped] = this.#memory.entries().next().value!;
    if (dropped.written !== dropped.latest) this.#write(dropped.root, dropped.path, dropped.latest);
    this.#memory.delete(oldest);
  }
}

function length(duration: number | undefined): number | undefined {
  return duration !== undefined && Number.isFinite(duration) && duration > 0 ? duration : undefined;
}

function watchState(position: number, duration: number | undefined, finished: boolean, playedAt: number): WatchState {
  return { position, ...(duration !== undefined ? { duration } : {}), finished, playedAt: Math.round(playedAt) };
}

function stateOf(row: Record<string, unknown>): WatchState {
  return watchState(row.position as number, (row.duration as number | null) ?? undefined, row.finished === 1, row.played_at as number);
}

function pathOf(row: Record<string, unknown>): string {
  const bytes = row.path as Uint8Array;
  return fromDiskBytes(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
