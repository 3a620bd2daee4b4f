import { bareContentType, isCastPlayable } from '../media/playable.ts';

// Not ES imports: their module facades load undici and more (see src/http/server.ts).
const http = process.getBuiltinModule('node:http');
const https = process.getBuiltinModule('node:https');

/** What the first request for a media URL told the simulated device. */
export type FetchCheck = { ok: true; contentType: string; length?: number } | { ok: false; reason: string };

/**
 * Opens `url` the way a Cast device does, with `Range: bytes=0-`, reads the
 * headers and hangs up. Never throws: an unreachable URL is a reason to fail the LOAD.
 */
export function checkMediaUrl(url: string, declaredType: string | undefined, timeoutMs = 5000): Promise<FetchCheck> {
  return new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return resolve({ ok: false, reason: 'INVALID_URL' });
    }
    const get = parsed.protocol === 'https:' ? https.get : parsed.protocol === 'http:' ? http.get : undefined;
    if (!get) return resolve({ ok: false, reason: 'UNSUPPORTED_SCHEME' });
    const request = get(parsed, { headers: { range: 'bytes=0-' }, timeout: timeoutMs, rejectUnauthorized: false }, (response) => {
      const status = response.statusCode ?? 0;
      response.destroy();
      if (status !== 200 && status !== 206) return resolve({ ok: false, reason: `HTTP_${status}` });
      const served = bareContentType(response.headers['content-type']);
      const type = served && served !== 'application/octet-stream' ? served : (declaredType ?? '').toLowerCase();
      if (!isCastPlayable(type)) return resolve({ ok: false, reason: `UNSUPPORTED_TYPE ${type || 'unknown'}` });
      const range = /\/(\d+)$/.exec(response.headers['content-range'] ?? '');
      const length = range ? Number(range[1]) : Number(response.headers['content-length'] ?? NaN);
      resolve({ ok: true, contentType: type, ...(Number.isFinite(length) ? { length } : {}) });
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, reason: `UNREACHABLE ${error.code ?? error.message}` }));
  });
}
