import type { ServerResponse } from 'node:http';

/**
 * The codes of HTTP error bodies (`{ "error": CODE, "message": "…" }`), listed in
 * README.md ("HTTP API").
 */
export type HttpErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'GRANT_EXPIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PRECONDITION_FAILED'
  | 'RANGE_NOT_SATISFIABLE'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL'
  | 'CONVERSION_FAILED'
  | 'BUSY'
  | 'HTTP_VERSION_NOT_SUPPORTED';

const STATUS: Record<HttpErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  GRANT_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PRECONDITION_FAILED: 412,
  RANGE_NOT_SATISFIABLE: 416,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
  CONVERSION_FAILED: 500,
  BUSY: 503,
  HTTP_VERSION_NOT_SUPPORTED: 505,
};

const REASONS = process.getBuiltinModule('node:http').STATUS_CODES;

/**
 * CORS for Cast receivers and browsers. Media is public to whoever holds a grant
 * and the API needs a bearer token (no cookies), so any origin may read.
 */
export const CORS_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Expose-Headers', 'Content-Range, Content-Length, Accept-Ranges, ETag'],
  ['Cross-Origin-Resource-Policy', 'cross-origin'],
];

/** {@link CORS_HEADERS} as the flat name/value list `writeHead` takes. */
export const CORS_HEADER_LIST: readonly string[] = CORS_HEADERS.flat();

/** The headers every file answer carries (200, 206, 304): CORS, validators, caching. */
export function fileHeaders(etag: string, lastModified: string): string[] {
  return [...CORS_HEADER_LIST, 'ETag', etag, 'Last-Modified', lastModified, 'Cache-Control', 'private, max-age=3600'];
}

/** Headers of the answer to an `OPTIONS` preflight. */
export const PREFLIGHT_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ...CORS_HEADERS,
  ['Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS'],
  ['Access-Control-Allow-Headers', 'Range, Content-Type, Accept-Encoding, Authorization, If-Range, If-None-Match, If-Modified-Since'],
  ['Access-Control-Max-Age', '86400'],
];

/** Sends a JSON error body with a short reason. */
export function sendError(
  response: ServerResponse,
  code: HttpErrorCode,
  message: string,
  extraHeaders: ReadonlyArray<readonly [string, string]> = [],
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  writeJson(response, STATUS[code], { error: code, message }, extraHeaders);
}

/** Sends a JSON body with status 200. */
export function sendJson(response: ServerResponse, value: unknown): void {
  writeJson(response, 200, value, []);
}

function writeJson(response: ServerResponse, status: number, value: unknown, extraHeaders: ReadonlyArray<readonly [string, string]>): void {
  const body = JSON.stringify(value);
  const headers = [...CORS_HEADER_LIST, ...extraHeaders.flat()];
  headers.push('Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(body)), 'Cache-Control', 'no-store');
  response.writeHead(status, headers);
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/**
 * The bytes of a JSON error answer, for a socket that has no `ServerResponse`
 * (a parse error, `CONNECT`): the same body as {@link sendError}, then the
 * connection closes.
 */
export function rawError(code: HttpErrorCode, message: string, extraHeaders: ReadonlyArray<readonly [string, string]> = []): string {
  const status = STATUS[code];
  const body = JSON.stringify({ error: code, message });
  const head = [
    `HTTP/1.1 ${status} ${REASONS[status] ?? ''}`,
    ...[...CORS_HEADERS, ...extraHeaders].map(([name, value]) => `${name}: ${value}`),
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'Connection: close',
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}
