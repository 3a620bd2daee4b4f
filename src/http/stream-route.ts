import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { BusyError, ConversionError, errorMessage, FfmpegMissingError, PathOutsideRootError } from '../errors.ts';
import { isMediaId } from '../library/ids.ts';
import { masterPlaylist, mediaPlaylist } from '../media/hls-playlist.ts';
import { planOfKey } from '../media/plan-key.ts';
import { streamGrantSubject } from '../media/signed-media.ts';
import type { Streams } from '../media/streams.ts';
import type { RouteContext } from './context.ts';
import { authorise } from './media-route.ts';
import { CORS_HEADER_LIST, sendError } from './respond.ts';

const PLAYLIST = 'application/vnd.apple.mpegurl';
// Segments are made for one playback: not worth a cache's keeping, and remade after a restart.
const NO_STORE = ['Cache-Control', 'no-store'];
const SEGMENT = /^(0|[1-9]\d{0,5})\.m4s$/;

/**
 * `GET` and `HEAD /stream/<id>/<plan>/<file>?g=<grant>`: an item converted for a
 * device as HLS with fMP4 segments. `master.m3u8` (codecs), `media.m3u8` (every
 * segment), `init.mp4`, `<n>.m4s` (made on demand). The grant signs the item and the
 * plan together, so a link opens only the conversion it was made for.
 */
export async function serveStream(context: RouteContext, streams: Streams, request: IncomingMessage, response: ServerResponse, id: string, key: string, file: string, query: URLSearchParams): Promise<void> {
  if (!isMediaId(id)) return sendError(response, 'BAD_REQUEST', 'malformed media id');
  const plan = planOfKey(key);
  if (!plan) return sendError(response, 'BAD_REQUEST', 'malformed stream (expected /stream/<id>/<plan>/<file>)');
  if (!authorise(context, request, response, id, query, streamGrantSubject(id, key), 'stream')) return;
  const item = context.library.get(id);
  if (!item) return sendError(response, 'NOT_FOUND', 'no media with this id');
  const grant = `?g=${encodeURIComponent(query.get('g') ?? '')}`;
  try {
    if (file === 'master.m3u8') return sendText(request, response, masterPlaylist(plan, streams.info(item), `media.m3u8${grant}`));
    const stream = await streams.open(item, key, plan);
    if (file === 'media.m3u8') return sendText(request, response, mediaPlaylist(stream.source.segments, `init.mp4${grant}`, (index) => `${index}.m4s${grant}`));
    const type = plan.video ? 'video/mp4' : 'audio/mp4';
    if (file === 'init.mp4') {
      const init = await stream.init();
      response.writeHead(200, [...CORS_HEADER_LIST, ...NO_STORE, 'Content-Type', type, 'Content-Length', String(init.length)]);
      return void response.end(request.method === 'HEAD' ? undefined : init);
    }
    const segment = SEGMENT.exec(file);
    if (!segment) return sendError(response, 'NOT_FOUND', 'no such file in a stream');
    const index = Number(segment[1]);
    if (index >= stream.source.segments.starts.length) return sendError(response, 'NOT_FOUND', `the stream has ${stream.source.segments.starts.length} segments`);
    await sendSegment(response, request, await stream.segment(index), type);
  } catch (error) {
    answerFailure(context, response, error, item.name);
  }
}

/** `GET` and `HEAD /embedded/<id>/<stream>.vtt?g=<grant>`: a text subtitle stream inside the file, as WebVTT (the media grant opens it). */
export async function serveEmbeddedSubtitle(context: RouteContext, streams: Streams, request: IncomingMessage, response: ServerResponse, id: string, file: string, query: URLSearchParams): Promise<void> {
  const stream = /^(\d{1,2})\.vtt$/.exec(file);
  if (!isMediaId(id) || !stream) return sendError(response, 'BAD_REQUEST', 'malformed subtitle (expected /embedded/<id>/<stream>.vtt)');
  if (!authorise(context, request, response, id, query)) return;
  const item = context.library.get(id);
  if (!item) return sendError(response, 'NOT_FOUND', 'no media with this id');
  try {
    const vtt = await streams.subtitle(item, Number(stream[1]));
    response.writeHead(200, [...CORS_HEADER_LIST, 'Cache-Control', 'private, max-age=3600', 'Content-Type', 'text/vtt; charset=utf-8', 'Content-Length', String(vtt.length)]);
    response.end(request.method === 'HEAD' ? undefined : vtt);
  } catch (error) {
    answerFailure(context, response, error, item.name);
  }
}

function sendText(request: IncomingMessage, response: ServerResponse, text: string): void {
  response.writeHead(200, [...CORS_HEADER_LIST, ...NO_STORE, 'Content-Type', PLAYLIST, 'Content-Length', String(Buffer.byteLength(text))]);
  response.end(request.method === 'HEAD' ? undefined : text);
}

async function sendSegment(response: ServerResponse, request: IncomingMessage, file: string, type: string): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    // Deleted behind a seek between made and opened: the device asks again and it is made again.
    return sendError(response, 'NOT_FOUND', 'the segment was dropped; ask again');
  }
  const size = await handle.stat().then(
    (stats) => stats.size,
    () => undefined,
  );
  if (size === undefined || response.destroyed) {
    await handle.close();
    return size === undefined ? sendError(response, 'NOT_FOUND', 'the segment was dropped; ask again') : undefined;
  }
  response.writeHead(200, [...CORS_HEADER_LIST, ...NO_STORE, 'Content-Type', type, 'Content-Length', String(size)]);
  if (request.method === 'HEAD') {
    response.end();
    return handle.close();
  }
  pipeline(handle.createReadStream(), response, () => {});
}

function answerFailure(context: RouteContext, response: ServerResponse, error: unknown, name: string): void {
  if (error instanceof BusyError) return sendError(response, 'BUSY', error.message, [['Retry-After', '30']]);
  if (error instanceof PathOutsideRootError) {
    context.logger.warn(`refused ${error.message}`);
    return sendError(response, 'FORBIDDEN', 'this file is not inside a media folder, or is gone');
  }
  if (error instanceof ConversionError || error instanceof FfmpegMissingError) {
    context.logger.warn(`stream of '${name}': ${errorMessage(error)}`);
    return sendError(response, 'CONVERSION_FAILED', error.message);
  }
  throw error;
}
