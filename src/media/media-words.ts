// Codec, container and language names as people read them, for the reasons a
// decision gives ("HEVC Main 10 is not supported by …").
import type { AudioStreamInfo, VideoStreamInfo } from '../library/media-info.ts';

const VIDEO_NAMES: Readonly<Record<string, string>> = {
  h264: 'H.264',
  hevc: 'HEVC',
  mpeg4: 'MPEG-4 Part 2 (DivX/Xvid)',
  msmpeg4v3: 'MPEG-4 Part 2 (DivX 3)',
  mpeg2video: 'MPEG-2',
  mpeg1video: 'MPEG-1',
  vc1: 'VC-1',
  wmv3: 'WMV 9',
  vp8: 'VP8',
  vp9: 'VP9',
  av1: 'AV1',
  mjpeg: 'Motion JPEG',
  prores: 'ProRes',
};

const AUDIO_NAMES: Readonly<Record<string, string>> = {
  aac: 'AAC',
  ac3: 'AC-3 (Dolby Digital)',
  eac3: 'E-AC-3 (Dolby Digital Plus)',
  dts: 'DTS',
  truehd: 'Dolby TrueHD',
  mp3: 'MP3',
  mp2: 'MPEG audio layer 2',
  flac: 'FLAC',
  opus: 'Opus',
  vorbis: 'Vorbis',
  alac: 'ALAC',
  wmav2: 'WMA',
};

const CONTAINER_NAMES: Readonly<Record<string, string>> = {
  matroska: 'Matroska (MKV)',
  avi: 'AVI',
  mpegts: 'MPEG-TS',
  mov: 'QuickTime (MOV)',
  mp4: 'MP4',
  webm: 'WebM',
  asf: 'ASF (WMV)',
  flv: 'Flash video (FLV)',
  mpeg: 'MPEG program stream',
};

// ISO 639-2 (B and T) and 639-1 codes of the languages NAS files mostly carry.
const LANGUAGES: ReadonlyArray<readonly [name: string, ...codes: string[]]> = [
  ['English', 'eng', 'en'],
  ['French', 'fre', 'fra', 'fr'],
  ['German', 'ger', 'deu', 'de'],
  ['Spanish', 'spa', 'es'],
  ['Italian', 'ita', 'it'],
  ['Dutch', 'dut', 'nld', 'nl'],
  ['Portuguese', 'por', 'pt'],
  ['Japanese', 'jpn', 'ja'],
  ['Chinese', 'chi', 'zho', 'zh'],
  ['Korean', 'kor', 'ko'],
  ['Russian', 'rus', 'ru'],
  ['Swedish', 'swe', 'sv'],
  ['Danish', 'dan', 'da'],
  ['Norwegian', 'nor', 'nob', 'no', 'nb'],
  ['Finnish', 'fin', 'fi'],
  ['Polish', 'pol', 'pl'],
  ['Czech', 'cze', 'ces', 'cs'],
  ['Hungarian', 'hun', 'hu'],
  ['Greek', 'gre', 'ell', 'el'],
  ['Turkish', 'tur', 'tr'],
  ['Arabic', 'ara', 'ar'],
  ['Hebrew', 'heb', 'he'],
  ['Hindi', 'hin', 'hi'],
];

/** `HEVC Main 10`, `H.264 High 4.1`, `MPEG-4 Part 2 (DivX/Xvid)`. */
export function videoName(stream: VideoStreamInfo): string {
  const codec = VIDEO_NAMES[stream.codec] ?? stream.codec;
  const level = stream.level !== undefined && stream.codec === 'h264' ? ` ${stream.level}` : '';
  return [codec, stream.profile && stream.codec !== 'mpeg4' ? `${stream.profile}${level}` : ''].filter(Boolean).join(' ');
}

/** `AC-3 (Dolby Digital) 5.1`, `AAC stereo`. */
export function audioName(stream: AudioStreamInfo): string {
  const codec = AUDIO_NAMES[stream.codec] ?? (stream.codec.startsWith('pcm_') ? 'PCM' : stream.codec);
  const layout = stream.layout?.replace(/\(.*\)$/, '') ?? (stream.channels ? `${stream.channels} channels` : '');
  return [codec, layout].filter(Boolean).join(' ');
}

/** `Matroska (MKV)`, `AVI`. */
export function containerName(container: string): string {
  return CONTAINER_NAMES[container] ?? container.toUpperCase();
}

/** Whether a stream's language (`fre`) is the asked one, in any of its codes or its English name (`fr`, `fra`, `French`). */
export function sameLanguage(stream: string | undefined, asked: string): boolean {
  if (stream === undefined) return false;
  const a = stream.toLowerCase();
  const b = asked.toLowerCase();
  if (a === b) return true;
  const row = LANGUAGES.find((entry) => entry.some((code) => code.toLowerCase() === a));
  return row?.some((code) => code.toLowerCase() === b) ?? false;
}

/** A language as BCP 47 and HTML take it: `fr` for `fre`/`fra`/`fr`; the code itself when not in the list; `und` for none. */
export function bcp47(code: string | undefined): string {
  if (code === undefined || code === '') return 'und';
  const row = LANGUAGES.find((entry) => entry.slice(1).includes(code.toLowerCase()));
  return row?.at(-1) ?? code.toLowerCase();
}

/** A subtitle language as asked (`fre`, as ffprobe and the web page give it) in the form tracks carry (`fr`); others (`pt-BR`, `en`) as they are. */
export function trackLanguage(code: string): string {
  return /^[a-z]{3}$/i.test(code) && LANGUAGES.some((entry) => entry.slice(1).includes(code.toLowerCase())) ? bcp47(code) : code;
}

/** `French` for `fre`/`fra`/`fr`; the code itself for one not in the list; `unknown language` for none. */
export function languageName(code: string | undefined): string {
  if (code === undefined) return 'unknown language';
  return LANGUAGES.find((entry) => entry.slice(1).includes(code.toLowerCase()))?.[0] ?? code;
}
