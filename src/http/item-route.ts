import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMediaId } from '../library/ids.ts';
import type { MediaInfo } from '../library/media-info.ts';
import { itemEntry, type ItemEntry } from './api-route.ts';
import { requireToken } from './auth.ts';
import type { RouteContext } from './context.ts';
import { sendError, sendJson } from './respond.ts';

/**
 * The answer of `GET /api/item?id=`: the item as listings give it, and what the prober
 * found, for a details view before casting (audio and subtitle tracks, video format).
 */
export interface ItemDetailsEntry extends ItemEntry {
  /** `null` until the file is probed (or without ffprobe). */
  readonly media: Omit<MediaInfo, 'duration'> | null;
}

/** `GET /api/item?id=<id>`. */
export function serveItem(context: RouteContext, request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void {
  if (!requireToken(request, response, query, context.token)) return;
  const id = query.get('id') ?? '';
  if (!isMediaId(id)) return sendError(response, 'BAD_REQUEST', 'id is required: a media id from a listing');
  const item = context.library.get(id);
  if (!item) return sendError(response, 'NOT_FOUND', 'no media with this id');
  const info = context.library.details(item).info;
  // The duration is the entry's own field.
  const media: ItemDetailsEntry['media'] = info ? Object.fromEntries(Object.entries(info).filter(([key]) => key !== 'duration')) as Omit<MediaInfo, 'duration'> : null;
  sendJson(response, { ...itemEntry(context, item), media } satisfies ItemDetailsEntry);
}
