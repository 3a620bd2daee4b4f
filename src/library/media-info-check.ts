import type { MediaInfo } from './media-info.ts';

// What each field of a stored MediaInfo must be; a leading '?' makes it optional.
type Field = 'number' | 'string' | 'boolean' | '?number' | '?string';
type Shape = Readonly<Record<string, Field>>;

const VIDEO: Shape = { index: 'number', codec: 'string', profile: '?string', level: '?number', width: '?number', height: '?number', bitDepth: '?number', hdr: '?string', frameRate: '?number', rotation: '?number' };
const AUDIO: Shape = { index: 'number', codec: 'string', profile: '?string', channels: '?number', layout: '?string', sampleRate: '?number', language: '?string', title: '?string', default: 'boolean' };
const SUBTITLE: Shape = { index: 'number', codec: 'string', language: '?string', title: '?string', forced: 'boolean', default: 'boolean', text: 'boolean' };
const TAGS: Shape = { title: '?string', artist: '?string', album: '?string', albumArtist: '?string', track: '?number', trackCount: '?number', disc: '?number', discCount: '?number', year: '?number', genre: '?string' };
const COVER: Shape = { stream: 'number', codec: 'string' };
const PHOTO: Shape = { width: '?number', height: '?number', orientation: '?number', taken: '?string' };
const TOP: Shape = { duration: '?number', container: '?string', bitrate: '?number' };
const HDR = new Set(['hdr10', 'hlg', 'dolby-vision']);

/**
 * Whether a value read back (from the index's JSON, say) has the shape of a
 * {@link MediaInfo}: every field of the right type, optional ones absent or set.
 */
export function isMediaInfo(value: unknown): value is MediaInfo {
  if (!isObject(value) || !fits(value, TOP) || !isObject(value.tags) || !fits(value.tags, TAGS)) return false;
  if (!every(value.video, VIDEO) || !every(value.audio, AUDIO) || !every(value.subtitles, SUBTITLE)) return false;
  if (!(value.video as Array<Record<string, unknown>>).every((stream) => stream.hdr === undefined || HDR.has(stream.hdr as string))) return false;
  if (value.cover !== undefined && !(isObject(value.cover) && fits(value.cover, COVER))) return false;
  return value.photo === undefined || (isObject(value.photo) && fits(value.photo, PHOTO));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function every(value: unknown, shape: Shape): boolean {
  return Array.isArray(value) && value.every((item) => isObject(item) && fits(item, shape));
}

function fits(object: Record<string, unknown>, shape: Shape): boolean {
  return Object.entries(shape).every(([key, field]) => {
    const value = object[key];
    if (field.startsWith('?') && value === undefined) return true;
    const type = field.replace('?', '');
    return typeof value === type && (type !== 'number' || Number.isFinite(value));
  });
}
