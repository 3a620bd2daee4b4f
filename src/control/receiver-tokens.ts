import { Grants } from '../signing.ts';

/** The device a receiver token is for, or `*` for a browser target that names itself. */
export type ReceiverScope = string;

/**
 * Short-lived tokens for receiver pages, scoped to one device. The sender hands one
 * to the app after launch; a receiver page never sees the install's token, so a
 * leaked receiver URL expires and controls nothing.
 * Format: `r1.<device, base64url>.<expiry seconds>.<HMAC>`.
 */
export class ReceiverTokens {
  readonly #grants: Grants;
  readonly #ttlSeconds: number;

  constructor(signingKey: Buffer, options: { ttlSeconds?: number } = {}) {
    this.#grants = new Grants(signingKey);
    this.#ttlSeconds = options.ttlSeconds ?? 12 * 3600;
  }

  /** A token for `scope`, valid for the configured time from `now`. */
  issue(scope: ReceiverScope, now = Date.now()): string {
    const expiresAt = Math.floor(now / 1000) + this.#ttlSeconds;
    return `r1.${Buffer.from(scope).toString('base64url')}.${this.#grants.sign(`receiver/${scope}`, expiresAt)}`;
  }

  /** The scope a token grants and when it expires (ms since the epoch), or why it does not. */
  verify(token: string, now = Date.now()): { ok: true; scope: ReceiverScope; expiresAt: number } | { ok: false; reason: 'wrong' | 'expired' } {
    const [version, scope64, expiry, signature, ...rest] = token.split('.');
    if (version !== 'r1' || !scope64 || !expiry || !signature || rest.length > 0) return { ok: false, reason: 'wrong' };
    const scope = Buffer.from(scope64, 'base64url').toString();
    const failure = this.#grants.verify(`receiver/${scope}`, `${expiry}.${signature}`, now);
    return failure === undefined ? { ok: true, scope, expiresAt: Number(expiry) * 1000 } : { ok: false, reason: failure === 'expired' ? 'expired' : 'wrong' };
  }
}
