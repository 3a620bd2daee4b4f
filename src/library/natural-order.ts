// Intl.Collator with `numeric` orders "Episode 2" before "Episode 10" and ignores
// case and accents for the order; one shared instance, since making one is slow.
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Compares two names the way people expect a folder to be ordered. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
