// How the page says what an item is: the card's second line, tracks, counts.
import { formatTime } from '../../src/display.ts';
import type { AudioTrack, EmbeddedSubtitle, Item, VideoTrack } from './api.ts';

export { formatSize, formatTime } from '../../src/display.ts';

const numbers = new Intl.NumberFormat('en');
let languages: Intl.DisplayNames | undefined;

/** `6,200`. */
export function count(value: number): string {
  return numbers.format(value);
}

/** `1 item`, `12 items`. */
export function plural(value: number, noun: string): string {
  return `${count(value)} ${noun}${value === 1 ? '' : 's'}`;
}

/** The duration as a card shows it, or '' while unknown. */
export function duration(item: Item): string {
  return item.duration === undefined ? '' : formatTime(item.duration);
}

const two = (value: number): string => String(value).padStart(2, '0');

/** `S01E02`, `S01E02-E03`, or '' without an episode number. */
export function episodeCode(item: Item): string {
  if (item.episode === undefined) return '';
  const end = item.episodeEnd !== undefined && item.episodeEnd !== item.episode ? `-E${two(item.episodeEnd)}` : '';
  return `${item.season === undefined ? '' : `S${two(item.season)}`}E${two(item.episode)}${end}`;
}

/** The card's second line: series SxxEyy, artist – album, or the year. */
export function secondLine(item: Item): string {
  if (item.series !== undefined || item.episode !== undefined) return [item.series, episodeCode(item) || item.airDate].filter(Boolean).join(' · ');
  if (item.artist !== undefined || item.album !== undefined) return [item.artist, item.album].filter(Boolean).join(' – ');
  if (item.year !== undefined) return String(item.year);
  return '';
}

/** `Season 2`, or `Specials` for season 0. */
export function seasonName(season: number | undefined): string {
  if (season === undefined) return 'Other';
  return season === 0 ? 'Specials' : `Season ${season}`;
}

/** A language code (`eng`, `fre`, `pt-BR`) as a name, or undefined when unknown. */
export function languageName(code: string | undefined): string | undefined {
  if (!code || code === 'und') return undefined;
  try {
    languages ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return languages.of(code) ?? code;
  } catch {
    return code;
  }
}

const CODECS: Record<string, string> = {
  h264: 'H.264', hevc: 'HEVC', vp8: 'VP8', vp9: 'VP9', av1: 'AV1', mpeg4: 'MPEG-4', mpeg2video: 'MPEG-2',
  aac: 'AAC', ac3: 'Dolby Digital', eac3: 'Dolby Digital Plus', truehd: 'TrueHD', dts: 'DTS', mp3: 'MP3',
  flac: 'FLAC', opus: 'Opus', vorbis: 'Vorbis', alac: 'ALAC',
  subrip: 'SRT', ass: 'ASS', ssa: 'SSA', mov_text: 'MP4 text', webvtt: 'WebVTT', hdmv_pgs_subtitle: 'PGS', dvd_subtitle: 'VobSub',
};

export function codecName(codec: string): string {
  return CODECS[codec] ?? (codec.startsWith('pcm_') ? 'PCM' : codec.toUpperCase());
}

/** `2.0`, `5.1`, `mono`. */
export function channelsName(channels: number | undefined): string | undefined {
  if (channels === undefined) return undefined;
  return ({ 1: 'mono', 2: '2.0', 3: '2.1', 6: '5.1', 7: '6.1', 8: '7.1' } as Record<number, string>)[channels] ?? `${channels} channels`;
}

/** A track's name: its title, with its language when the title does not say it. */
function trackName(title: string | undefined, language: string | undefined, fallback: string): string {
  const name = languageName(language);
  if (title && name && title.toLowerCase() !== name.toLowerCase()) return `${title} (${name})`;
  return title || name || fallback;
}

/** `Français (French) · Dolby Digital · 5.1 · default`. */
export function audioLabel(track: AudioTrack, position: number): string {
  return [trackName(track.title, track.language, `Track ${position}`), codecName(track.codec), channelsName(track.channels), track.default ? 'default' : undefined].filter(Boolean).join(' · ');
}

/** `English · SRT · forced`; pictures of text say they are burned in. */
export function subtitleLabel(track: EmbeddedSubtitle, position: number): string {
  return [trackName(track.title, track.language, `Track ${position}`), codecName(track.codec), track.forced ? 'forced' : undefined, track.text ? undefined : 'burned in'].filter(Boolean).join(' · ');
}

/** `1920×1080 · H.264 · HDR10`. */
export function videoLabel(track: VideoTrack): string {
  const size = track.width && track.height ? `${track.width}×${track.height}` : undefined;
  return [size, codecName(track.codec), track.bitDepth && track.bitDepth > 8 ? `${track.bitDepth}-bit` : undefined, track.hdr?.toUpperCase()].filter(Boolean).join(' · ');
}
