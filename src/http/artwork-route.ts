import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { errorMessage } from '../errors.ts';
import { isArtworkSize, type ArtworkCache, type ArtworkFile, type ArtworkSubject } from '../library/artwork.ts';
import { isMediaId } from '../library/ids.ts';
import { artworkGrantSubject } from '../media/signed-media.ts';
import type { MediaItem } from '../library/model.ts';
import { evaluatePreconditions } from './conditional.ts';
import type { RouteContext } from './context.ts';
import { authorise } from './media-route.ts';
import { CORS_HEADER_LIST, sendError } from './respond.ts';

/** What probing knows of an item that its artwork needs: a video's duration, an embedded cover. */
export type ArtworkDetails = (item: MediaItem) => { duration?: number; cover?: { stream: number; codec: string } } | undefined;

// A picture's URL changes with its file (the grant is re-signed with each listing,
// and the file's version is in the cache key), so a browser may keep it a week.
const CACHE_CONTROL = 'private, max-age=604800';

/**
 * `GET` and `HEAD /artwork/<id>?size=small|large&g=<grant>`: the item's picture as
 * JPEG, made on first request and cached. 404 when the item has none.
 */
export async function serveArtwork(
  context: RouteContext,
  artwork: ArtworkCache,
  request: IncomingMessage,
  response: ServerResponse,
  name: string,
  query: URLSearchParams,
  details?: ArtworkDetails,
): Promise<void> {
  if (!isMediaId(name)) return sendError(response, 'BAD_REQUEST', 'malformed artwork id (expected /artwork/<id>)');
  const size = query.get('size') ?? 'small';
  if (!isArtworkSize(size)) return sendError(response, 'BAD_REQUEST', "size must be 'small' or 'large'");
  if (!authorise(context, request, response, name, query, artworkGrantSubject(name), 'artwork')) return;
  const item = context.library.get(name);
  if (!item) return sendError(response, 'NOT_FOUND', 'no media with this id');
  const file = await artwork.get(subjectOf(context, item, details), size);
  // A client that left while the picture was made gets nothing more.
  if (response.destroyed) return;
  if (file === undefined) return sendError(response, 'NOT_FOUND', 'no artwork for this item');

  const headers = [...CORS_HEADER_LIST, 'ETag', file.etag, 'Last-Modified', new Date(file.modified).toUTCString(), 'Cache-Control', CACHE_CONTROL];
  const precondition = evaluatePreconditions(request.headers, { etag: file.etag, mtimeMs: file.modified });
  if (precondition === 'not-modified') {
    response.writeHead(304, headers);
    return void response.end();
  }
  if (precondition === 'failed') return sendError(response, 'PRECONDITION_FAILED', 'the artwork has changed');
  if (request.method === 'HEAD') {
    response.writeHead(200, [...headers, 'Content-Type', file.type, 'Content-Length', String(file.bytes)]);
    return void response.end();
  }
  await sendPicture(context, response, file, headers);
}

// The cache may evict the file between get() and here: the descriptor, once open, keeps it readable.
async function sendPicture(context: RouteContext, response: ServerResponse, file: ArtworkFile, headers: string[]): Promise<void> {
  let handle: fs.FileHandle;
  let bytes: number;
  try {
    handle = await fs.open(file.path, 'r');
  } catch {
    return sendError(response, 'NOT_FOUND', 'the artwork was removed from the cache; ask again');
  }
  try {
    bytes = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    context.logger.error(`artwork: cannot read ${file.path}: ${errorMessage(error)}`);
    return sendError(response, 'INTERNAL', 'the artwork cannot be read');
  }
  if (response.destroyed) return handle.close();
  response.writeHead(200, [...headers, 'Content-Type', file.type, 'Content-Length', String(bytes)]);
  // pipeline destroys the stream (closing the descriptor) when the client goes away.
  pipeline(handle.createReadStream(), response, () => {});
}

function subjectOf(context: RouteContext, item: MediaItem, details: ArtworkDetails | undefined): ArtworkSubject {
  const known = details?.(item);
  return {
    id: item.id,
    kind: item.kind,
    absolutePath: item.absolutePath,
    size: item.size,
    modified: item.modified,
    root: item.folder.root.path,
    ...(known?.duration === undefined ? {} : { duration: known.duration }),
    ...(known?.cover === undefined ? {} : { cover: known.cover }),
    // Checked before the file is read, as the media route checks before it serves.
    admit: async () => {
      const real = await context.library.resolveInsideRoot(item).catch(() => null);
      if (real === undefined) context.logger.warn(`artwork: refused '${item.path}': it resolves outside its root`);
      return typeof real === 'string';
    },
  };
}
