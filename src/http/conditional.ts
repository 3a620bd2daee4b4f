/**
 * Validators and conditional requests (RFC 9110 §8.8 and §13) for files.
 */

/** A strong ETag from size and modification time (µs), like nginx's. */
export function strongEtag(size: number, mtimeMs: number): string {
  return `"${size.toString(16)}-${Math.round(mtimeMs * 1000).toString(16)}"`;
}

/** What the preconditions of a request say. */
export type Precondition = 'proceed' | 'not-modified' | 'failed';

export interface Validators {
  readonly etag: string;
  readonly mtimeMs: number;
}

interface ConditionalHeaders {
  readonly 'if-match'?: string | undefined;
  readonly 'if-none-match'?: string | undefined;
  readonly 'if-modified-since'?: string | undefined;
  readonly 'if-unmodified-since'?: string | undefined;
}

/**
 * Evaluates `If-Match`, `If-Unmodified-Since`, `If-None-Match` and
 * `If-Modified-Since` in the order RFC 9110 §13.2.2 gives, for GET and HEAD.
 */
export function evaluatePreconditions(headers: ConditionalHeaders, file: Validators): Precondition {
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined) {
    if (!matchesAny(ifMatch, file.etag, true)) return 'failed';
  } else {
    const since = parseDate(headers['if-unmodified-since']);
    if (since !== undefined && seconds(file.mtimeMs) > since) return 'failed';
  }
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return matchesAny(ifNoneMatch, file.etag, false) ? 'not-modified' : 'proceed';
  }
  const modifiedSince = parseDate(headers['if-modified-since']);
  if (modifiedSince !== undefined && seconds(file.mtimeMs) <= modifiedSince) return 'not-modified';
  return 'proceed';
}

/**
 * `If-Range` (RFC 9110 §13.1.5): the range applies only if the validator is a
 * strong ETag equal to ours, or a date equal to our Last-Modified. A weak ETag
 * never matches.
 */
export function ifRangeAllows(header: string | undefined, file: Validators): boolean {
  if (header === undefined) return true;
  const value = header.trim();
  if (value.startsWith('W/')) return false;
  if (value.startsWith('"')) return value === file.etag;
  const date = parseDate(value);
  return date !== undefined && date === seconds(file.mtimeMs);
}

function matchesAny(header: string, etag: string, strong: boolean): boolean {
  if (header.trim() === '*') return true;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const candidate of header.split(',')) {
    let tag = candidate.trim();
    if (tag.startsWith('W/')) {
      if (strong) continue; // strong comparison: weak tags never match
      tag = tag.slice(2);
    }
    if (tag === opaque) return true;
  }
  return false;
}

function parseDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
