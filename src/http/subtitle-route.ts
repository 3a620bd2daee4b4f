import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMediaId } from '../library/ids.ts';
import { decodeSubtitleBytes, normaliseWebVtt, srtToWebVtt } from '../library/webvtt.ts';
import { evaluatePreconditions } from './conditional.ts';
import type { RouteContext } from './context.ts';
import { authorise, openForResponse } from './media-route.ts';
import { fileHeaders, sendError } from './respond.ts';

/** Subtitle files bigger than this are not subtitles. */
const MAX_SUBTITLE_BYTES = 8 * 1024 * 1024;

/** `GET /subtitles/<id>.vtt`: WebVTT in UTF-8, converted from SRT when needed. */
export async function serveSubtitle(
  context: RouteContext,
  request: IncomingMessage,
  response: ServerResponse,
  name: string,
  query: URLSearchParams,
): Promise<void> {
  const id = name.endsWith('.vtt') ? name.slice(0, -4) : '';
  if (!isMediaId(id)) return sendError(response, 'BAD_REQUEST', 'malformed subtitle id (expected /subtitles/<id>.vtt)');
  if (!authorise(context, request, response, id, query)) return;
  const track = context.library.subtitle(id);
  if (!track) return sendError(response, 'NOT_FOUND', 'no subtitles with this id');
  if (response.destroyed) return;
  const file = await openForResponse(context, response, track);
  if (!file) return;
  try {
    const etag = `"vtt-${file.etag.slice(1)}`;
    const headers = fileHeaders(etag, file.lastModified);
    const precondition = evaluatePreconditions(request.headers, { etag, mtimeMs: file.mtimeMs });
    if (precondition === 'not-modified') {
      response.writeHead(304, headers);
      return void response.end();
    }
    if (file.size > MAX_SUBTITLE_BYTES) return sendError(response, 'PAYLOAD_TOO_LARGE', 'the subtitle file is too big');
    const bytes = Buffer.allocUnsafe(file.size);
    const read = await new Promise<number>((done, fail) =>
      fs.read(file.fd, bytes, 0, file.size, 0, (error, count) => (error ? fail(error) : done(count))),
    );
    const text = decodeSubtitleBytes(bytes.subarray(0, read));
    const body = Buffer.from(track.format === 'srt' ? srtToWebVtt(text) : normaliseWebVtt(text), 'utf8');
    headers.push('Content-Type', 'text/vtt; charset=utf-8', 'Content-Length', String(body.length));
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  } finally {
    context.openFiles.release(file);
  }
}
