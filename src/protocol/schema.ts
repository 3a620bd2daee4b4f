// A small schema language for the control protocol: each message shape is written
// once, and both its TypeScript type and its run-time check come from it. Hand-made
// rather than zod or valibot because the receiver page imports this module as a plain
// ES module with no bundler, and the protocol needs only these few forms.

/** A run-time check that also carries the TypeScript type it admits. */
export interface Schema<T> {
  /** Returns the value, or the path and reason of the first mismatch. */
  check(value: unknown, path: string): { ok: true; value: T } | { ok: false; path: string; reason: string };
  readonly optional?: boolean;
}

/** The TypeScript type a schema admits. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
/** The object type of a shape: optional schemas make optional keys. */
export type InferShape<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };

const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
const fail = (path: string, reason: string): { ok: false; path: string; reason: string } => ({ ok: false, path, reason });

/** A string of 1 to `max` characters (`min` 0 allows the empty string). */
export function string(options: { min?: number; max?: number } = {}): Schema<string> {
  const min = options.min ?? 1;
  const max = options.max ?? 4096;
  return {
    check: (value, path) =>
      typeof value !== 'string' ? fail(path, 'must be a string') : value.length < min || value.length > max ? fail(path, `must be ${min} to ${max} characters`) : ok(value),
  };
}

/** A finite number within `[min, max]`. */
export function number(options: { min?: number; max?: number } = {}): Schema<number> {
  const min = options.min ?? -Number.MAX_VALUE;
  const max = options.max ?? Number.MAX_VALUE;
  return {
    check: (value, path) =>
      typeof value !== 'number' || !Number.isFinite(value) ? fail(path, 'must be a finite number') : value < min || value > max ? fail(path, `must be between ${min} and ${max}`) : ok(value),
  };
}

/** A whole number within bounds (a count, a limit). */
export function integer(options: { min?: number; max?: number } = {}): Schema<number> {
  const checked = number(options);
  return { check: (value, path) => (Number.isInteger(value) ? checked.check(value, path) : fail(path, 'must be a whole number')) };
}

export function boolean(): Schema<boolean> {
  return { check: (value, path) => (typeof value === 'boolean' ? ok(value) : fail(path, 'must be true or false')) };
}

/** One of the listed strings. */
export function oneOf<const T extends readonly string[]>(values: T): Schema<T[number]> {
  return {
    check: (value, path) => ((values as readonly unknown[]).includes(value) ? ok(value as T[number]) : fail(path, `must be one of ${values.join(', ')}`)),
  };
}

/** An array of at most `max` items, each checked. */
export function array<T>(item: Schema<T>, options: { max?: number } = {}): Schema<T[]> {
  const max = options.max ?? 1000;
  return {
    check: (value, path) => {
      if (!Array.isArray(value)) return fail(path, 'must be an array');
      if (value.length > max) return fail(path, `must have at most ${max} items`);
      const out: T[] = [];
      for (let index = 0; index < value.length; index++) {
        const result = item.check(value[index], `${path}[${index}]`);
        if (!result.ok) return result;
        out.push(result.value);
      }
      return ok(out);
    },
  };
}

/** An object with these fields; unknown fields are dropped, so nothing unchecked gets through. */
export function object<S extends Shape>(shape: S): Schema<InferShape<S>> {
  return {
    check: (value, path) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, 'must be an object');
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(shape)) {
        const field = record[key];
        const fieldPath = path ? `${path}.${key}` : key;
        if (field === undefined) {
          if (schema.optional) continue;
          return fail(fieldPath, 'is required');
        }
        const result = schema.check(field, fieldPath);
        if (!result.ok) return result;
        out[key] = result.value;
      }
      return ok(out as InferShape<S>);
    },
  };
}

/** The field may be left out. */
export function optional<T>(schema: Schema<T>): Schema<T> & { optional: true } {
  return { check: (value, path) => schema.check(value, path), optional: true };
}
