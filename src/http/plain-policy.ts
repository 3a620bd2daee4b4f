import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** What a request that came over plain HTTP gets while HTTPS is on, if not its answer. */
export type PlainRefusal = { readonly redirect: string } | { readonly refuse: string };

// People's pages and the API: over HTTPS. Media, subtitles, the receiver page and
// /healthz stay on plain HTTP for devices (their URLs carry grants, never the token).
const PEOPLE = /^\/(index\.html|web\/.*|app\/web\/.*|api\/.*)?$/;
const RECEIVER_PAGE = /^\/receiver\/(index\.html)?$/;

/**
 * With HTTPS on, a request over plain HTTP that carries the API token is refused (it
 * has crossed the network in clear), and one for the web page or the API is sent to
 * HTTPS; undefined for what plain HTTP may serve.
 */
export function plainRefusal(request: IncomingMessage, pathname: string, query: URLSearchParams): PlainRefusal | undefined {
  if ((request.socket as Partial<TLSSocket>).encrypted === true) return undefined;
  // The receiver page is a device's: its link carries a register-only receiver token, made for plain HTTP.
  if (request.headers.authorization !== undefined || (query.has('token') && !RECEIVER_PAGE.test(pathname))) {
    return { refuse: 'the API token must not cross the network in clear: use https:// (and, if this network is not yours, make a new token with `nascast token --rotate`)' };
  }
  if (!PEOPLE.test(pathname)) return undefined;
  // Host has been checked (400 otherwise): it is the address the person typed.
  return { redirect: `https://${request.headers.host ?? 'localhost'}${request.url ?? '/'}` };
}
