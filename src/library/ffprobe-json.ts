/**
 * Readers of ffprobe's JSON, which describes files nobody vetted: every value may be
 * missing, of another type, huge or hostile. Each reader answers a bounded value of
 * the type asked for, or undefined.
 */

/** A JSON object as read from ffprobe. */
export type Json = Readonly<Record<string, unknown>>;

/** The longest string kept from a file's metadata. */
export const MAX_TEXT = 200;
// Tag objects of real files hold a few dozen keys; past this it is not metadata.
const MAX_TAGS = 256;

/** `value` if it is a plain JSON object. */
export function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** The first `max` objects of `value` if it is an array (anything else in it is skipped). */
export function objects(value: unknown, max: number): Json[] {
  if (!Array.isArray(value)) return [];
  const found: Json[] = [];
  for (const item of value.slice(0, max)) {
    const object = record(item);
    if (object) found.push(object);
  }
  return found;
}

/**
 * A string, trimmed and cut to {@link MAX_TEXT}; undefined when empty. Control
 * characters become spaces: titles end up in logs and on screens.
 */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are the point
  let cut = value.slice(0, MAX_TEXT * 2).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim().slice(0, MAX_TEXT);
  // Never end on half of a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut === '' ? undefined : cut;
}

/** A finite number ≥ 0, given as a number or as a decimal string (`"2.024000"`, as ffprobe writes most). */
export function number(value: unknown): number | undefined {
  let parsed: number | undefined;
  if (typeof value === 'number') parsed = value;
  else if (typeof value === 'string' && value.length <= 40 && /^\s*\d+(\.\d+)?\s*$/.test(value)) parsed = Number(value);
  return parsed !== undefined && Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/** A whole {@link number}. */
export function integer(value: unknown): number | undefined {
  const parsed = number(value);
  return parsed !== undefined && Number.isSafeInteger(parsed) ? parsed : undefined;
}

/** A rate written as a fraction (`"30000/1001"`), to three decimals; undefined for `0/0`. */
export function ratio(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,12})\/(\d{1,12})$/.exec(value);
  if (!match) return undefined;
  const [numerator, denominator] = [Number(match[1]), Number(match[2])];
  return numerator > 0 && denominator > 0 ? Math.round((numerator / denominator) * 1000) / 1000 : undefined;
}

/** 0 or 1 flags as ffprobe writes `disposition`. */
export function flag(disposition: Json | undefined, name: string): boolean {
  return disposition?.[name] === 1;
}

/**
 * A tag object with lower-case keys and only string values: containers spell keys
 * as the file does (FLAC `ARTIST`, `Title`), so lookups must not care.
 */
export function tagMap(value: unknown): Map<string, string> {
  const tags = new Map<string, string>();
  const object = record(value);
  if (!object) return tags;
  for (const [key, raw] of Object.entries(object).slice(0, MAX_TAGS)) {
    const lower = key.slice(0, MAX_TEXT).toLowerCase();
    const value = text(raw);
    if (value !== undefined && !tags.has(lower)) tags.set(lower, value);
  }
  return tags;
}

/** The first of `keys` present in `tags`. */
export function firstTag(tags: ReadonlyMap<string, string>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = tags.get(key);
    if (value !== undefined) return value;
  }
  return undefined;
}
