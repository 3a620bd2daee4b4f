// HAP-NodeJS warns about (and the Home app may refuse) names outside this pattern:
// a letter or digit at both ends, and letters, digits, spaces and common punctuation between.
const VALID = /^[\p{L}\p{N}][\p{L}\p{N}\p{Zs}\u2019'&!._:;()/,-]*[\p{L}\p{N}]$/u;
const INVALID_CHARACTERS = /[^\p{L}\p{N}\p{Zs}\u2019'&!._:;()/,-]+/gu;
const MAX_LENGTH = 64;

/**
 * A name the Home app accepts, made from anything (a media title, a device name):
 * emoji and symbols become spaces, spaces collapse, the ends are trimmed to a letter
 * or digit, and it is cut to 64 characters. `fallback` is used when nothing is left.
 */
export function hapName(value: string, fallback = 'NasCast'): string {
  let name = value.normalize('NFC').replace(INVALID_CHARACTERS, ' ').replace(/\s+/gu, ' ');
  name = trimEnds(name);
  if (name.length > MAX_LENGTH) name = trimEnds(name.slice(0, MAX_LENGTH));
  if (VALID.test(name)) return name;
  // One letter or digit is valid HAP but fails the two-ends rule of the pattern.
  if (name.length === 1) return `${name} ${fallback === value ? 'TV' : fallback}`.slice(0, MAX_LENGTH);
  return fallback === value ? 'NasCast' : hapName(fallback);
}

function trimEnds(name: string): string {
  return name.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}
