import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokensMatch, type AuthFailure } from '../signing.ts';
import { sendError } from './respond.ts';

// Grants and token comparison live in ../signing.ts: media/ signs with them, control/ checks tokens.

/** Compares the request's bearer token (header, or `?token=` from a browser) with the install's. */
export function checkToken(request: IncomingMessage, query: URLSearchParams, token: string): AuthFailure | undefined {
  const header = request.headers.authorization;
  let given: string | null = null;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    given = match ? match[1]! : '';
  } else {
    given = query.get('token');
  }
  if (given === null) return 'missing';
  return tokensMatch(given, token) ? undefined : 'wrong';
}

/** For the API routes: true if the request carries the token, else answers 401 with the reason. */
export function requireToken(request: IncomingMessage, response: ServerResponse, query: URLSearchParams, token: string): boolean {
  const failure = checkToken(request, query, token);
  if (!failure) return true;
  sendError(response, 'UNAUTHORIZED', failure === 'missing' ? 'a token is required (Authorization: Bearer <token>)' : 'wrong token', [['WWW-Authenticate', 'Bearer realm="nascast"']]);
  return false;
}
