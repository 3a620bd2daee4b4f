import { isArtworkFile } from './artwork-names.ts';

/** What a file is, as far as casting is concerned. */
export type MediaKind = 'video' | 'audio' | 'image';

/** A file type the library serves, found from its extension. */
export interface MediaType {
  readonly kind: MediaKind;
  readonly mime: string;
}

// The formats a Chromecast (and Chromium) can play or show. Anything else on the
// NAS (.nfo, .txt, .iso…) is not media and stays out of the library.
const TYPES: ReadonlyMap<string, MediaType> = new Map<string, MediaType>([
  ['mp4', { kind: 'video', mime: 'video/mp4' }],
  ['m4v', { kind: 'video', mime: 'video/mp4' }],
  ['mov', { kind: 'video', mime: 'video/quicktime' }],
  ['mkv', { kind: 'video', mime: 'video/x-matroska' }],
  ['webm', { kind: 'video', mime: 'video/webm' }],
  ['ts', { kind: 'video', mime: 'video/mp2t' }],
  ['m2ts', { kind: 'video', mime: 'video/mp2t' }],
  ['avi', { kind: 'video', mime: 'video/x-msvideo' }],
  ['ogv', { kind: 'video', mime: 'video/ogg' }],
  ['mp3', { kind: 'audio', mime: 'audio/mpeg' }],
  ['m4a', { kind: 'audio', mime: 'audio/mp4' }],
  ['aac', { kind: 'audio', mime: 'audio/aac' }],
  ['flac', { kind: 'audio', mime: 'audio/flac' }],
  ['wav', { kind: 'audio', mime: 'audio/wav' }],
  ['ogg', { kind: 'audio', mime: 'audio/ogg' }],
  ['oga', { kind: 'audio', mime: 'audio/ogg' }],
  ['opus', { kind: 'audio', mime: 'audio/ogg' }],
  ['weba', { kind: 'audio', mime: 'audio/webm' }],
  ['jpg', { kind: 'image', mime: 'image/jpeg' }],
  ['jpeg', { kind: 'image', mime: 'image/jpeg' }],
  ['png', { kind: 'image', mime: 'image/png' }],
  ['gif', { kind: 'image', mime: 'image/gif' }],
  ['webp', { kind: 'image', mime: 'image/webp' }],
  ['bmp', { kind: 'image', mime: 'image/bmp' }],
  ['avif', { kind: 'image', mime: 'image/avif' }],
]);

/** The lower-cased extension of a file name, without the dot ('' if none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * The media type of a file name, or `undefined` if it is not media. Artwork beside the
 * media (`folder.jpg`, `poster.png`: see {@link isArtworkFile}) is not media: the scan
 * classifies files here, and an album's cover must not become one of its tracks.
 */
export function mediaTypeOf(name: string): MediaType | undefined {
  const type = TYPES.get(extensionOf(name));
  return type?.kind === 'image' && isArtworkFile(name) ? undefined : type;
}

/** Subtitle formats attached to videos. */
export type SubtitleFormat = 'srt' | 'vtt';

/** The subtitle format of a file name, or `undefined`. */
export function subtitleFormatOf(name: string): SubtitleFormat | undefined {
  const extension = extensionOf(name);
  return extension === 'srt' || extension === 'vtt' ? extension : undefined;
}
