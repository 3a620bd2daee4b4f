import { createHash, createHmac, type KeyObject } from 'node:crypto';
import { isWellFormed, toDiskBytes } from './disk-names.ts';

/**
 * A stable, opaque id for a file: derived from its root's name and its path inside
 * the root, so it survives restarts and rescans, but reveals neither. With a key
 * (the install's signing key), ids cannot even be guessed from a known path.
 * 128 bits, base64url: 22 characters. Pass the key as a `KeyObject` when making
 * many ids: a Buffer key is imported again on every call (4.5× slower, measured).
 * `relativePath` is the library's lossless form (see `fromDiskBytes`).
 */
export function mediaId(rootName: string, relativePath: string, key?: KeyObject | Buffer): string {
  const text = `${rootName}\0${relativePath}`;
  // A name that is not UTF-8 is hashed as its bytes: as UTF-8 its escapes would all be U+FFFD, and ids would collide.
  const input = isWellFormed(text) ? text : toDiskBytes(text);
  const digest = key
    ? createHmac('sha256', key).update(input).digest()
    : createHash('sha256').update(input).digest();
  return digest.subarray(0, 16).toString('base64url');
}

/** True if `id` has the shape of an id made by {@link mediaId}. */
export function isMediaId(id: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(id);
}
