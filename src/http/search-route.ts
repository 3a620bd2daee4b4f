import type { IncomingMessage, ServerResponse } from 'node:http';
import { itemEntry, type ItemEntry } from './api-route.ts';
import { requireToken } from './auth.ts';
import type { RouteContext } from './context.ts';
import { sendError, sendJson } from './respond.ts';

type QueryContext = Pick<RouteContext, 'library' | 'signedMedia'>;

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** Library items matching `query`, best first (see `MediaLibrary.search`). */
export function searchEntries(context: QueryContext, query: string, limit = DEFAULT_LIMIT): ItemEntry[] {
  return context.library.search(query, limit).map((item) => itemEntry(context, item));
}

/** Items started and not finished, most recent first (see `MediaLibrary.continueWatching`). */
export function continueEntries(context: QueryContext, limit = DEFAULT_LIMIT): ItemEntry[] {
  return context.library.continueWatching(limit).map((item) => itemEntry(context, item));
}

/** `GET /api/search?q=<words>[&limit=n]`: `{ query, items }`, best match first. */
export function serveSearch(context: RouteContext, request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
  if (!requireToken(request, response, query, context.token)) return;
  const words = query.get('q');
  if (words === null) return sendError(response, 'BAD_REQUEST', 'q is required: the words to look for');
  if (words.length > 200) return sendError(response, 'BAD_REQUEST', 'q is too long (at most 200 characters)');
  const limit = limitOf(query);
  if (limit === undefined) return sendError(response, 'BAD_REQUEST', `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  sendJson(response, { query: words, items: searchEntries(context, words, limit) });
}

/** `GET /api/continue[?limit=n]`: `{ items }`, what was started and not finished, most recent first. */
export function serveContinue(context: RouteContext, request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
  if (!requireToken(request, response, query, context.token)) return;
  const limit = limitOf(query);
  if (limit === undefined) return sendError(response, 'BAD_REQUEST', `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  sendJson(response, { items: continueEntries(context, limit) });
}

function limitOf(query: URLSearchParams): number | undefined {
  const given = query.get('limit');
  if (given === null) return DEFAULT_LIMIT;
  const limit = /^\d{1,3}$/.test(given) ? Number(given) : NaN;
  return limit >= 1 && limit <= MAX_LIMIT ? limit : undefined;
}
