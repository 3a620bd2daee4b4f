// The install's signatures and secret comparisons: grants on media URLs (signed by
// media/, checked by http/), receiver tokens (control/), and the API token (http/, control/).
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SecretsError } from './errors.ts';
import { MIN_SIGNING_KEY_BYTES } from './secrets.ts';

/** Why a request was refused; the HTTP layer turns it into a 401 with a short reason. */
export type AuthFailure = 'missing' | 'wrong' | 'expired';

/** Signs and checks the grants carried by media and subtitle URLs (`?g=<expiry>.<signature>`). */
export class Grants {
  readonly #key: KeyObject;
  // A player fetches one URL hundreds of times (every seek, every range), and the
  // HMAC was a fifth of the CPU per request (measured): remember grants checked
  // valid, keyed by id and grant, until they expire.
  readonly #verified = new Map<string, number>();

  constructor(key: Buffer) {
    if (key.length < MIN_SIGNING_KEY_BYTES) throw new SecretsError(`a signing key needs at least ${MIN_SIGNING_KEY_BYTES} bytes; this one has ${key.length}`);
    this.#key = createSecretKey(key); // imported once: a Buffer key costs 4.5× per HMAC
  }

  /** A grant for `id` valid until `expiresAt` (seconds since the epoch). */
  sign(id: string, expiresAt: number): string {
    return `${expiresAt}.${this.#signature(id, expiresAt)}`;
  }

  /** Checks a grant for `id`; `undefined` means it is valid. */
  verify(id: string, grant: string | null | undefined, now = Date.now()): AuthFailure | undefined {
    if (!grant) return 'missing';
    const cacheKey = `${id}/${grant}`;
    const known = this.#verified.get(cacheKey);
    if (known !== undefined) return known * 1000 < now ? 'expired' : undefined;
    const checked = this.#check(id, grant);
    if (typeof checked !== 'number') return checked;
    if (this.#verified.size >= 1024) this.#verified.clear(); // bounded: a burst of new URLs cannot grow it
    this.#verified.set(cacheKey, checked);
    return checked * 1000 < now ? 'expired' : undefined;
  }

  // The grant's expiry (seconds) if its signature is right, else why not.
  #check(id: string, grant: string): number | 'wrong' {
    const dot = grant.indexOf('.');
    const expiry = dot > 0 ? grant.slice(0, dot) : '';
    if (!/^\d{1,12}$/.test(expiry)) return 'wrong';
    const expiresAt = Number(expiry);
    const expected = Buffer.from(this.#signature(id, expiresAt));
    const given = Buffer.from(grant.slice(dot + 1));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'wrong';
    // Expiry is judged by the caller, after the signature: a forged expiry never reads as merely "expired".
    return expiresAt;
  }

  #signature(id: string, expiresAt: number): string {
    return createHmac('sha256', this.#key).update(`${id}.${expiresAt}`).digest().subarray(0, 16).toString('base64url');
  }
}

/** Compares a presented secret with the expected one in constant time. */
export function tokensMatch(given: string, expected: string): boolean {
  // Hash both sides so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
