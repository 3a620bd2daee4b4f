// What the command line reads (times, levels) and prints (tables, the progress line).
import { InvalidArgumentError } from 'commander';
import { formatTime, type PlayerStatus } from '../api.ts';

/** A time as `seek` takes it: where to go, or how far to move. */
export type TimeArgument = { readonly absolute: number } | { readonly relative: number };

/** `90`, `1:30`, `1:02:03`, `+30`, `-10`, `+1:00`. */
export function parseTime(value: string): TimeArgument {
  const match = /^([+-]?)(\d+(?:\.\d+)?|\d+(?::[0-5]?\d){1,2})$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`expected a time such as 90, 1:30, 1:02:03, +30 or -10, not '${value}'.`);
  const seconds = match[2]!.split(':').reduce((total, part) => total * 60 + Number(part), 0);
  if (match[1] === '+') return { relative: seconds };
  if (match[1] === '-') return { relative: -seconds };
  return { absolute: seconds };
}

/** A start position (`--start`): only an absolute time. */
export function parseStart(value: string): number {
  const time = parseTime(value);
  if (!('absolute' in time)) throw new InvalidArgumentError(`expected a time such as 90 or 1:30, not '${value}'.`);
  return time.absolute;
}

/** A volume as `volume` takes it: 0–100, or `+n` / `-n` points. */
export type LevelArgument = { readonly absolute: number } | { readonly relative: number };

export function parseLevel(value: string): LevelArgument {
  const match = /^([+-]?)(\d{1,3})%?$/.exec(value.trim());
  const points = Number(match?.[2]);
  if (!match || points > 100) throw new InvalidArgumentError(`expected a volume from 0 to 100, or +n / -n, not '${value}'.`);
  if (match[1] === '+') return { relative: points / 100 };
  if (match[1] === '-') return { relative: -points / 100 };
  return { absolute: points / 100 };
}

/** Columns padded to their widest cell; the first row is the header. */
export function formatTable(rows: ReadonlyArray<readonly string[]>): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}

/** `▶ Title  1:23 / 10:00  [#####-------]  PLAYING`, cut to `width`. */
export function progressLine(status: PlayerStatus, position: number, width = 80): string {
  const icon = status.state === 'PLAYING' ? '▶' : status.state === 'PAUSED' ? '⏸' : '■';
  const title = status.media?.title ?? status.media?.url ?? 'nothing';
  const times = `${formatTime(position)} / ${formatTime(status.duration)}`;
  const state = status.error ? `${status.state}: ${status.error}` : status.state;
  const barWidth = 20;
  const filled = status.duration ? Math.round((Math.min(position, status.duration) / status.duration) * barWidth) : 0;
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
  const room = Math.max(8, width - (times.length + bar.length + state.length + 9));
  const shortTitle = title.length > room ? `${title.slice(0, room - 1)}…` : title;
  return `${icon} ${shortTitle}  ${times}  ${bar}  ${state}`.slice(0, width);
}
