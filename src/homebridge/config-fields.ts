import { ConfigError } from '../api.ts';

/** A block of config.json, not checked yet. */
export type Raw = Record<string, unknown>;

// The readers of single settings: each mistake is a ConfigError naming the field (`inputs[2].url`).

/** A list whose entries `each` checks, named `at[0]`, `at[1]`… */
export function list<T>(raw: Raw, key: string, at: string, each: (entry: unknown, at: string) => T): T[] {
  const value = raw[key];
  if (!Array.isArray(value)) throw new ConfigError(`${at} must be a list`);
  return value.map((entry: unknown, index) => each(entry, `${at}[${index}]`));
}

/** A list of objects. */
export function objects<T>(raw: Raw, key: string, at: string, each: (entry: Raw, at: string) => T): T[] {
  return list(raw, key, at, (entry, where) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new ConfigError(`${where} must be an object`);
    return each(entry as Raw, where);
  });
}

/** Required text, trimmed. */
export function text(raw: Raw, key: string, at: string): string {
  const value = optionalText(raw, key, at);
  if (value === undefined) throw new ConfigError(`${at}.${key} is required`);
  return value;
}

/** Text, trimmed; `undefined` when absent, null or empty (as a form leaves a field). */
export function optionalText(raw: Raw, key: string, at: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${at === key ? key : `${at}.${key}`} must be text, not ${JSON.stringify(value)}`);
  return value.trim() || undefined;
}

/** true or false, else `fallback`. */
export function flag(raw: Raw, key: string, at: string, fallback = false): boolean {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(`${at}.${key} must be true or false, not ${JSON.stringify(value)}`);
  return value;
}

/** A whole number from `min` to `max`, else `fallback`. */
export function integer(raw: Raw, key: string, at: string, fallback: number, min: number, max: number): number {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${at} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return value;
}
