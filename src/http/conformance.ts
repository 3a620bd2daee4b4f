import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import type { Duplex } from 'node:stream';
import { errnoCode } from '../errors.ts';
import { rawError, type HttpErrorCode } from './respond.ts';

/** Why a request is answered with an error before it reaches a route. */
export interface Refusal {
  readonly code: HttpErrorCode;
  readonly message: string;
}

// RFC 3986 host: an IP-literal in brackets (checked apart), or a reg-name (which
// covers IPv4): unreserved, sub-delims and %XX; then an optional port.
const HOST = /^(?:\[([^\]]*)\]|(?:[\w\-.~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)(?::\d*)?$/;
const IP_FUTURE = /^v[0-9A-Fa-f]+\.[\w\-.~!$&'()*+,;=:]+$/;
const ABSOLUTE_FORM = /^https?:\/\/([^/?#]*)(.*)$/i;

/**
 * Checks what RFC 9112 asks of every request before routing: an HTTP/1.x request
 * line, at most one Host header and a valid one (§3.2). An absolute-form target
 * (`GET http://host/path`, §3.2.2) is rewritten to its origin-form on the way, so
 * the routes and the upgrade listeners match paths as they always do. Undefined if
 * the request may go on.
 */
export function admitRequest(request: IncomingMessage): Refusal | undefined {
  if (request.httpVersionMajor !== 1) {
    // llhttp hands these on as HTTP/0.9 and HTTP/2.0; Node would answer them as HTTP/1.1.
    return request.httpVersionMajor === 0
      ? { code: 'BAD_REQUEST', message: 'the request line has no HTTP version (HTTP/0.9 is not supported)' }
      : { code: 'HTTP_VERSION_NOT_SUPPORTED', message: 'this port speaks HTTP/1.1' };
  }
  // llhttp keeps every Host line and Node keeps only the first in `headers`: count the raw ones.
  const raw = request.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 4 || name.toLowerCase() !== 'host') continue;
    if (++hosts > 1) return { code: 'BAD_REQUEST', message: 'more than one Host header' };
    if (!isHost(raw[i + 1]!)) return { code: 'BAD_REQUEST', message: 'the Host header is not a valid host' };
  }
  const url = request.url ?? '/';
  if (url.startsWith('/')) return undefined;
  const absolute = ABSOLUTE_FORM.exec(url);
  if (!absolute) return undefined;
  const [, authority = '', rest = ''] = absolute;
  // RFC 9110 §4.2.1: an http URI with an empty host is invalid; userinfo fails the host syntax.
  if (authority === '' || !isHost(authority)) return { code: 'BAD_REQUEST', message: 'the request target has no valid host' };
  request.url = rest.startsWith('/') ? rest : `/${rest}`;
  return undefined;
}

function isHost(value: string): boolean {
  const match = HOST.exec(value);
  if (!match) return false;
  const literal = match[1];
  return literal === undefined || isIPv6(literal) || IP_FUTURE.test(literal);
}

/**
 * Whether an upgrade request goes to the server's 'upgrade' listeners: only a
 * WebSocket handshake on one of `paths` does. Any other (`Upgrade: h2c` on
 * `/healthz`) is served as the plain request it also is: RFC 9110 §7.8 lets a
 * server ignore Upgrade.
 */
export function upgradesTo(request: IncomingMessage, paths: ReadonlySet<string>): boolean {
  if (admitRequest(request) !== undefined) return false;
  const url = request.url ?? '';
  const mark = url.indexOf('?');
  if (!paths.has(mark < 0 ? url : url.slice(0, mark))) return false;
  return (request.headers.upgrade ?? '').split(',').some((protocol) => protocol.trim().toLowerCase() === 'websocket');
}

// An HTTP/2 preface (`PRI * HTTP/2.0`) or a version llhttp does not know (HTTP/3.0).
const VERSION_ERRORS = new Set(['HPE_PAUSED_H2_UPGRADE', 'HPE_INVALID_VERSION']);

// Node's own answers to the client errors left to it (lib/_http_server.js,
// socketOnError), which a 'clientError' listener replaces: kept byte for byte.
const NODE_ANSWERS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
};
const NODE_BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

/** The server's 'clientError' listener: a version it does not speak gets 505 with the JSON body; the rest what Node would answer. */
export function answerClientError(error: Error, socket: Duplex): void {
  // Node's guard: never write into a response whose head is already on the wire.
  const current = (socket as Duplex & { _httpMessage?: { headersSent: boolean } | null })._httpMessage;
  if (!socket.writable || current?.headersSent === true) {
    socket.destroy(error);
    return;
  }
  const code = errnoCode(error) ?? '';
  const answer = VERSION_ERRORS.has(code)
    ? rawError('HTTP_VERSION_NOT_SUPPORTED', 'this port speaks HTTP/1.1')
    : (NODE_ANSWERS[code] ?? NODE_BAD_REQUEST);
  socket.end(answer, () => socket.destroy());
}

/** The server's 'connect' listener: Node hands a `CONNECT` over as a bare socket, and with no listener just closes it. */
export function refuseConnect(socket: Duplex): void {
  socket.on('error', () => {}); // a reset after the answer is the client's business
  socket.end(rawError('METHOD_NOT_ALLOWED', 'CONNECT is not supported here', [['Allow', 'GET, HEAD, OPTIONS']]), () => socket.destroy());
}
