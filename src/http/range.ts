/** An inclusive byte range, as in `Content-Range: bytes start-end/size`. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What to answer to a `Range` header. */
export type RangeDecision =
  /** No header, a malformed one, another unit, or over the caps: send the whole file (200). */
  | { readonly kind: 'whole' }
  /** No range overlaps the file: 416 with `Content-Range: bytes *\/size`. */
  | { readonly kind: 'unsatisfiable' }
  /** One range (206) or several (206 `multipart/byteranges`), in the order asked. */
  | { readonly kind: 'partial'; readonly ranges: readonly ByteRange[] };

/** Caps that stop many or overlapping ranges from amplifying a response. */
export interface RangeLimits {
  /** More range specs than this: the whole file instead. Default 16. */
  readonly maxRanges: number;
  /** More overlapping pairs than this: the whole file instead. Default 2. */
  readonly maxOverlaps: number;
}

export const DEFAULT_RANGE_LIMITS: RangeLimits = { maxRanges: 16, maxOverlaps: 2 };

const WHOLE: RangeDecision = { kind: 'whole' };
const UNSATISFIABLE: RangeDecision = { kind: 'unsatisfiable' };
const SPEC = /^(\d*)[ \t]*-[ \t]*(\d*)$/;

/**
 * Decides how to answer a `Range` header for a file of `size` bytes, following
 * RFC 9110 §14: a header that does not parse is ignored; `a-b`, `a-` and `-n` are
 * understood; an end past the file is clamped; if no range is satisfiable, 416.
 * Beyond RFC 9110, the caps: too many ranges, too many overlaps, or ranges that
 * add up to more than the file all get the whole file once (the 2011 Apache
 * "killer" request asked for thousands of overlapping ranges).
 */
export function decideRange(
  header: string | undefined,
  size: number,
  limits: RangeLimits = DEFAULT_RANGE_LIMITS,
): RangeDecision {
  if (header === undefined) return WHOLE;
  const equals = header.indexOf('=');
  if (equals < 0 || header.slice(0, equals).trim().toLowerCase() !== 'bytes') return WHOLE;

  const specs = header.slice(equals + 1).split(',');
  const ranges: ByteRange[] = [];
  let count = 0;
  // RFC 9110 §14.1.2: on an empty file a suffix range is the one satisfiable
  // form, yet no Content-Range can describe it: the whole (empty) file it is.
  let wholeEmptyFile = false;
  for (const raw of specs) {
    const spec = raw.trim();
    if (spec === '') continue; // RFC 9110 §5.6.1: empty list elements are allowed
    const match = SPEC.exec(spec);
    if (!match) return WHOLE;
    const [, first = '', last = ''] = match;
    if (++count > limits.maxRanges) return WHOLE;
    if (first === '') {
      if (last === '') return WHOLE;
      const suffix = position(last);
      if (suffix > 0 && size === 0) wholeEmptyFile = true;
      else if (suffix > 0) ranges.push({ start: suffix >= size ? 0 : size - Number(suffix), end: size - 1 });
      continue;
    }
    const start = position(first);
    const end = last === '' ? undefined : position(last);
    if (end !== undefined && end < start) return WHOLE; // invalid: the whole header is ignored
    // Both below the size from here on, so exact as numbers.
    if (start < size) ranges.push({ start: Number(start), end: end === undefined || end >= size ? size - 1 : Number(end) });
  }
  if (count === 0) return WHOLE;
  if (ranges.length === 0) return wholeEmptyFile ? WHOLE : UNSATISFIABLE;
  if (ranges.length > 1 && amplifies(ranges, size, limits.maxOverlaps)) return WHOLE;
  return { kind: 'partial', ranges };
}

// Number() rounds past 2^53 (9007199254740993 reads as …992), so a position too
// long to be exact as a number is compared as a BigInt; 15 digits always fit.
function position(digits: string): number | bigint {
  return digits.length <= 15 ? Number(digits) : BigInt(digits);
}

function amplifies(ranges: readonly ByteRange[], size: number, maxOverlaps: number): boolean {
  let total = 0;
  for (const range of ranges) total += range.end - range.start + 1;
  if (total > size) return true;
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let overlaps = 0;
  let reach = -1;
  for (const range of sorted) {
    if (range.start <= reach) overlaps++;
    reach = Math.max(reach, range.end);
  }
  return overlaps > maxOverlaps;
}
