import { LoadFailedError } from '../errors.ts';
import { detailedErrorName } from './detailed-error-codes.ts';

type Json = Record<string, unknown>;

// What each code tells a user, and no more: 104 is the media element's
// MEDIA_ERR_SRC_NOT_SUPPORTED, which a device fires both for a source it cannot fetch
// and for one it cannot play, so its words say both.
const WORDS: ReadonlyArray<readonly [low: number, high: number, words: string]> = [
  [100, 100, 'its player failed for a reason it did not give'],
  [101, 101, 'it stopped fetching the media'],
  [102, 102, 'it could not decode the file: it is corrupt, or encoded in a way this device does not decode'],
  [103, 103, 'the network failed while it was fetching the media'],
  [104, 104, 'it could not fetch the file, or cannot play its format or codecs'],
  [110, 110, 'it cannot play the codecs the stream declares'],
  [200, 299, 'it could not decrypt the media'],
  [300, 301, 'it could not fetch part of the stream'],
  [311, 311, 'it could not fetch the HLS playlist'],
  [312, 312, 'it could not fetch an HLS media playlist'],
  [313, 314, 'it could not fetch the HLS key'],
  [315, 316, 'a segment of the HLS stream is invalid'],
  [321, 332, 'it could not fetch part of the stream'],
  [400, 499, 'it could not read the stream’s playlist or manifest'],
  [500, 599, 'a segment of the stream is invalid'],
  [600, 699, 'it could not read a text track'],
  [900, 903, 'the receiver app failed'],
  [904, 904, 'another load or a stop interrupted it'],
];

/** Words for a detailed error code: what the code says happened on the device. */
export function loadFailureWords(code: number): string {
  const words = WORDS.find(([low, high]) => code >= low && code <= high)?.[2] ?? 'it reported an error it did not explain';
  const name = detailedErrorName(code);
  return `${words} (${name ? `${name}, ` : ''}${code})`;
}

/**
 * The error for a LOAD_FAILED, LOAD_CANCELLED or ERROR reply, in words built from what
 * the device really sent: its `detailedErrorCode`, else its `reason` (an ErrorReason
 * a custom receiver may set), else the reply type alone.
 */
export function loadFailedError(reply: Json): LoadFailedError {
  const code = typeof reply.detailedErrorCode === 'number' ? reply.detailedErrorCode : undefined;
  if (code !== undefined) return new LoadFailedError(loadFailureWords(code), code);
  if (typeof reply.reason === 'string') return new LoadFailedError(`it gave the reason ${reply.reason}`);
  if (reply.type === 'LOAD_CANCELLED') return new LoadFailedError('another load or a stop interrupted it (LOAD_CANCELLED)');
  return new LoadFailedError(`it gave no reason (${String(reply.type)})`);
}
