import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MediaLibrary } from '../library/library.ts';
import { requireToken } from './auth.ts';
import type { RouteContext } from './context.ts';
import { sendJson } from './respond.ts';

/** The answer of `GET /api/status`: how much of the library is indexed and probed. */
export interface LibraryStatus {
  /** Media files listed now. */
  readonly media: number;
  /** Whether a scan is checking the library against the disk. */
  readonly scanning: boolean;
  /** How far probing has got; `null` with probing off. */
  readonly probing: {
    /** Media files in the index. */
    readonly files: number;
    /** Of them, probed (including those that could not be read). */
    readonly probed: number;
    /** Of the probed, those ffprobe could not read (corrupt, empty, timed out). */
    readonly failed: number;
    /** Whether probes are running now. */
    readonly running: boolean;
    /** False when ffprobe is not installed. */
    readonly available: boolean;
  } | null;
}

/** What `/api/status` says of a library. */
export function libraryStatus(library: MediaLibrary): LibraryStatus {
  return { media: library.size, scanning: library.scanning, probing: library.probing() ?? null };
}

/** `GET /api/status`. */
export function serveStatus(context: RouteContext, request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
  if (!requireToken(request, response, query, context.token)) return;
  sendJson(response, libraryStatus(context.library));
}
