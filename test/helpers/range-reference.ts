// An independent reading of RFC 9110 §14.1.2 for the range tests: which ranges a
// Range header asks for, exactly (BigInt: positions may pass 2^53).
import type { ByteRange } from '../../src/http/range.ts';

/** RFC 9110 §14.1.2 in BigInt, for any size: the satisfiable ranges, 'empty' when a suffix selects an empty file, or null if invalid. */
export function rfc9110Ranges(value: string, size: number): ByteRange[] | 'empty' | null {
  const match = /^\s*bytes\s*=(.*)$/i.exec(value);
  if (!match) return null;
  const total = BigInt(size);
  const ranges: ByteRange[] = [];
  let specs = 0;
  let emptySuffix = false;
  for (const raw of match[1]!.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    specs++;
    const parts = /^(\d*)\s*-\s*(\d*)$/.exec(item);
    if (!parts || (parts[1] === '' && parts[2] === '')) return null;
    if (parts[1] === '') {
      const n = BigInt(parts[2]!);
      if (n > 0n && size === 0) emptySuffix = true;
      else if (n > 0n) ranges.push({ start: Number(n >= total ? 0n : total - n), end: size - 1 });
    } else {
      const first = BigInt(parts[1]!);
      const last = parts[2] === '' ? undefined : BigInt(parts[2]!);
      if (last !== undefined && last < first) return null;
      if (first < total) ranges.push({ start: Number(first), end: Number(last === undefined || last >= total ? total - 1n : last) });
    }
  }
  if (specs === 0) return null;
  return ranges.length === 0 && emptySuffix ? 'empty' : ranges;
}

/** Whether more than `limit` of the ranges overlap one before them. */
export function overlapsPast(ranges: readonly ByteRange[], limit: number): boolean {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let overlaps = 0;
  let reach = -1;
  for (const range of sorted) {
    if (range.start <= reach) overlaps++;
    reach = Math.max(reach, range.end);
  }
  return overlaps > limit;
}
