import type { IncomingMessage } from 'node:http';
import { tokensMatch, type AuthFailure } from '../signing.ts';

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
