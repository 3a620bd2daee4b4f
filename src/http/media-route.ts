import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errnoCode, errorMessage, PathOutsideRootError } from '../errors.ts';
import { isMediaId } from '../library/ids.ts';
import type { MediaItem, SubtitleTrack } from '../library/model.ts';
import { checkToken } from './auth.ts';
import { evaluatePreconditions, ifRangeAllows } from './conditional.ts';
import type { RouteContext } from './context.ts';
import type { OpenFile } from './open-files.ts';
import { decideRange } from './range.ts';
import { fileHeaders, sendError } from './respond.ts';
import { sendBody, type BodyPart } from './send-body.ts';

/**
 * Checks the grant (or the bearer token) for `id`. Checked before the lookup, so
 * an unauthorised caller cannot learn which ids exist. Answers and returns false
 * if refused. `signed` is what the grant signs (the id, for media and subtitles;
 * artwork grants sign another string), `what` names it in the answer.
 */
export function authorise(context: RouteContext, request: IncomingMessage, response: ServerResponse, id: string, query: URLSearchParams, signed = id, what = 'media'): boolean {
  const failure = context.grants.verify(signed, query.get('g'));
  if (failure === undefined) return true;
  if ((request.headers.authorization !== undefined || query.has('token')) && checkToken(request, query, context.token) === undefined) {
    return true;
  }
  if (failure === 'expired') sendError(response, 'GRANT_EXPIRED', `this link has expired; ask for the ${what} again`);
  else sendError(response, 'UNAUTHORIZED', failure === 'missing' ? 'a grant (?g=) or a token is required' : 'the grant is not valid');
  return false;
}

/**
 * Opens a library file through the descriptor cache, answering the error itself
 * (and returning undefined) if it cannot: gone from disk, outside its root, or
 * unreadable.
 */
export async function openForResponse(
  context: RouteContext,
  response: ServerResponse,
  entry: MediaItem | SubtitleTrack,
  absolutePath = entry.absolutePath,
): Promise<OpenFile | undefined> {
  try {
    return await context.openFiles.acquire(absolutePath, async () => {
      const real = await context.library.resolveInsideRoot(entry);
      if (real === undefined) {
        throw new PathOutsideRootError(`'${entry.folder.path}/${entry.name}' resolves outside its root`);
      }
      return real;
    });
  } catch (error) {
    if (error instanceof PathOutsideRootError) {
      context.logger.warn(`refused ${error.message}`);
      sendError(response, 'FORBIDDEN', 'this file is not inside a media folder');
    } else if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR' || errnoCode(error) === 'EISDIR') {
      sendError(response, 'NOT_FOUND', 'the file is no longer on disk');
    } else if (errnoCode(error) === 'EACCES' || errnoCode(error) === 'EPERM') {
      sendError(response, 'FORBIDDEN', 'the file cannot be read (permission denied)');
    } else {
      context.logger.error(`cannot open '${entry.name}': ${errorMessage(error)}`);
      sendError(response, 'INTERNAL', 'the file cannot be read');
    }
    return undefined;
  }
}

/** `GET` and `HEAD /media/<id>`: the file, with byte ranges and conditional requests. */
export async function serveMedia(
  context: RouteContext,
  request: IncomingMessage,
  response: ServerResponse,
  id: string,
  query: URLSearchParams,
): Promise<void> {
  if (!isMediaId(id)) return sendError(response, 'BAD_REQUEST', 'malformed media id');
  if (!authorise(context, request, response, id, query)) return;
  const item = context.library.get(id);
  if (!item) return sendError(response, 'NOT_FOUND', 'no media with this id');
  // A client that left while we waited must not cost us a descriptor.
  if (response.destroyed) return;
  const served = servedItem(item);
  let file = context.openFiles.acquireFresh(served.absolutePath);
  if (file === undefined) {
    file = await openForResponse(context, response, item, served.absolutePath);
    if (!file) return;
    if (response.destroyed) return context.openFiles.release(file);
  }
  sendFile(context, request, response, file, item.mime, served.disposition);
}

/** What serving an item needs that does not change while it is in the library. */
interface ServedItem {
  readonly absolutePath: string;
  readonly disposition: string;
}

// A player asks for the same item hundreds of times (every range, every seek): its
// path and Content-Disposition are worked out once, not per request (together 2%
// of the server's CPU on random ranges, measured). A WeakMap, so only items
// actually played pay for it, and a rescan's new items start afresh.
const servedItems = new WeakMap<MediaItem, ServedItem>();

function servedItem(item: MediaItem): ServedItem {
  let served = servedItems.get(item);
  if (served === undefined) {
    // The name travels with the file (ids hide it): a browser saves it under it, a URL probe titles it.
    served = { absolutePath: item.absolutePath, disposition: `inline; filename*=UTF-8''${encodeRfc5987(item.name)}` };
    servedItems.set(item, served);
  }
  return served;
}

function sendFile(context: RouteContext, request: IncomingMessage, response: ServerResponse, file: OpenFile, mime: string, disposition: string): void {
  const release = (): void => context.openFiles.release(file);
  const headers = [...fileHeaders(file.etag, file.lastModified), 'Accept-Ranges', 'bytes', 'Content-Disposition', disposition];

  const precondition = evaluatePreconditions(request.headers, file);
  if (precondition === 'not-modified') {
    response.writeHead(304, headers);
    response.end();
    return release();
  }
  if (precondition === 'failed') {
    sendError(response, 'PRECONDITION_FAILED', 'the file has changed');
    return release();
  }

  const rangeHeader = request.headers.range;
  const ifRange = request.headers['if-range'];
  const decision =
    rangeHeader !== undefined && ifRangeAllows(typeof ifRange === 'string' ? ifRange : undefined, file)
      ? decideRange(rangeHeader, file.size, context.rangeLimits)
      : ({ kind: 'whole' } as const);

  if (decision.kind === 'unsatisfiable') {
    sendError(response, 'RANGE_NOT_SATISFIABLE', 'the range is outside the file', [
      ['Content-Range', `bytes */${file.size}`],
    ]);
    return release();
  }

  let status = 200;
  let parts: BodyPart[];
  let length: number;
  if (decision.kind === 'whole') {
    parts = file.size > 0 ? [{ start: 0, end: file.size - 1 }] : [];
    length = file.size;
    headers.push('Content-Type', mime);
  } else if (decision.ranges.length === 1) {
    const range = decision.ranges[0]!;
    status = 206;
    parts = [range];
    length = range.end - range.start + 1;
    headers.push('Content-Type', mime, 'Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
  } else {
    status = 206;
    const boundary = `nascast-${randomBytes(12).toString('hex')}`;
    parts = [];
    length = 0;
    decision.ranges.forEach((range, index) => {
      const head = `${index === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${mime}\r\nContent-Range: bytes ${range.start}-${range.end}/${file.size}\r\n\r\n`;
      parts.push(head, range);
      length += Buffer.byteLength(head) + range.end - range.start + 1;
    });
    const tail = `\r\n--${boundary}--\r\n`;
    parts.push(tail);
    length += tail.length;
    headers.push('Content-Type', `multipart/byteranges; boundary=${boundary}`);
  }
  headers.push('Content-Length', String(length));
  response.writeHead(status, headers);

  if (request.method === 'HEAD' || parts.length === 0) {
    response.end();
    return release();
  }
  sendBody(response, file.fd, parts, release);
}

/** RFC 8187 `value-chars`: percent-encode all but the attr-chars. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
