import http from 'node:http';
import https from 'node:https';

/** Content types a Chromecast plays (as Debian's Chromium does, which shares its media stack). */
const PLAYABLE = new Set([
  'video/mp4',
  'video/webm',
  'video/x-matroska',
  'audio/mp4',
  'audio/mpeg',
  'audio/aac',
  'audio/flac',
  'audio/ogg',
  'audio/opus',
  'audio/wav',
  'audio/webm',
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'application/vnd.apple.mpegurl',
  'application/x-mpegurl',
  'application/dash+xml',
]);

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
      const served = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const type = served && served !== 'application/octet-stream' ? served : (declaredType ?? '').toLowerCase();
      if (!PLAYABLE.has(type)) return resolve({ ok: false, reason: `UNSUPPORTED_TYPE ${type || 'unknown'}` });
      const range = /\/(\d+)$/.exec(response.headers['content-range'] ?? '');
      const length = range ? Number(range[1]) : Number(response.headers['content-length'] ?? NaN);
      resolve({ ok: true, contentType: type, ...(Number.isFinite(length) ? { length } : {}) });
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, reason: `UNREACHABLE ${error.code ?? error.message}` }));
  });
}
