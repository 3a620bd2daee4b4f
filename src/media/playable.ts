/**
 * Content types a Chromecast plays. Debian's Chromium shares its media stack, so
 * the simulator and the browser target use the same list.
 */
const PLAYABLE: ReadonlySet<string> = new Set([
  'video/mp4',
  'video/webm',
  'video/x-matroska',
  'video/mp2t',
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
  'image/bmp',
  'application/vnd.apple.mpegurl',
  'application/x-mpegurl',
  'audio/mpegurl',
  'application/dash+xml',
]);

/** Streaming manifests, which a receiver reads without byte ranges. */
const MANIFEST_EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ['m3u8', 'application/vnd.apple.mpegurl'],
  ['mpd', 'application/dash+xml'],
]);

/** The bare, lower-cased MIME type of a `Content-Type` value (`''` when absent). */
export function bareContentType(value: string | undefined): string {
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Whether a Chromecast can play this content type. */
export function isCastPlayable(contentType: string): boolean {
  return PLAYABLE.has(bareContentType(contentType));
}

/** The content type of a streaming manifest, from its extension. */
export function manifestTypeOf(extension: string): string | undefined {
  return MANIFEST_EXTENSIONS.get(extension);
}
