import type { IncomingMessage } from 'node:http';

// Not ES imports: their module facades load undici and more (see src/http/server.ts).
const http = process.getBuiltinModule('node:http');
const https = process.getBuiltinModule('node:https');

/** Chrome's net stack gives up after 20 redirects (net::ERR_TOO_MANY_REDIRECTS); a Cast device runs it. */
export const MAX_REDIRECTS = 20;

// What a 3rd-generation Chromecast sends: servers that sniff for Cast devices see one.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.199 Safari/537.36 CrKey/1.56.500000 DeviceType/Chromecast';

/** What fetching a URL as a device does told it: the body's first bytes, or why there are none. */
export type DeviceFetch =
  | { ok: true; url: string; status: number; contentType: string | undefined; head: Buffer; complete: boolean }
  | { ok: false; url: string; why: string };

/**
 * GETs `url` as a Cast device's Chrome does: `Range: bytes=0-`, redirects followed up to
 * {@link MAX_REDIRECTS}, TLS certificates verified against the system's CAs (a self-signed
 * one is refused, as on a device), and only 200/206 taken as the media. Reads at most
 * `maxBytes` of the body (`complete` says whether that was all of it) and hangs up.
 * Gives up at `timeoutMs` or on `signal`. Never throws: a failure is a reason to fail the LOAD.
 */
export async function deviceFetch(url: string, options: { maxBytes: number; timeoutMs: number; signal: AbortSignal }): Promise<DeviceFetch> {
  // One deadline over every hop and the body: a server that never answers fails the load, as a player's would.
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const step = await fetchOnce(current, { maxBytes: options.maxBytes, signal });
    if (step.kind === 'failed') return { ok: false, url: current, why: step.why };
    if (step.kind === 'redirect') {
      if (redirects >= MAX_REDIRECTS) return { ok: false, url: current, why: `more than ${MAX_REDIRECTS} redirects` };
      current = step.location;
      continue;
    }
    return { ok: true, url: current, ...step.result };
  }
}

type Step = { kind: 'failed'; why: string } | { kind: 'redirect'; location: string } | { kind: 'body'; result: Omit<Extract<DeviceFetch, { ok: true }>, 'ok' | 'url'> };

function fetchOnce(url: string, options: { maxBytes: number; signal: AbortSignal }): Promise<Step> {
  return new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return resolve({ kind: 'failed', why: 'not a URL' });
    }
    const get = parsed.protocol === 'https:' ? https.get : parsed.protocol === 'http:' ? http.get : undefined;
    if (!get) return resolve({ kind: 'failed', why: `a device fetches http and https only, not ${parsed.protocol}` });
    const request = get(parsed, { headers: { range: 'bytes=0-', 'user-agent': USER_AGENT }, signal: options.signal }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if ([301, 302, 303, 307, 308].includes(status) && location) {
        response.destroy();
        return resolve(redirect(location, parsed));
      }
      if (status !== 200 && status !== 206) {
        response.destroy();
        return resolve({ kind: 'failed', why: `HTTP ${status}` });
      }
      readHead(response, options.maxBytes).then(
        ({ head, complete }) => resolve({ kind: 'body', result: { status, contentType: response.headers['content-type'], head, complete } }),
        (error: unknown) => resolve({ kind: 'failed', why: `the body failed: ${describe(error)}` }),
      );
    });
    request.on('error', (error) => resolve({ kind: 'failed', why: describe(error) }));
  });
}

function redirect(location: string, base: URL): Step {
  try {
    return { kind: 'redirect', location: new URL(location, base).href };
  } catch {
    return { kind: 'failed', why: `a redirect to a bad Location (${location})` };
  }
}

/** The body's first `maxBytes`; the socket is closed after, as a player that has its head does. */
function readHead(response: IncomingMessage, maxBytes: number): Promise<{ head: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= maxBytes) {
        response.destroy();
        resolve({ head: Buffer.concat(chunks).subarray(0, maxBytes), complete: false });
      }
    });
    response.on('end', () => resolve({ head: Buffer.concat(chunks), complete: true }));
    // A server that closes mid-body: 'error' (ECONNRESET, "aborted"), before any 'end'.
    response.on('error', reject);
  });
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}
