/**
 * Subtitle text for Cast receivers, which only take WebVTT in UTF-8.
 */

/**
 * Decodes subtitle bytes: a UTF-8 or UTF-16 byte order mark wins; otherwise UTF-8
 * if the bytes are valid UTF-8, else Windows-1252 (what "Latin-1" subtitle files
 * from the web really are; WHATWG maps the `latin1` label to it).
 */
export function decodeSubtitleBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

const SRT_TIMING =
  /^\s*(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})\s*-->\s*(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})(.*)$/;

/**
 * Converts SubRip (`.srt`) text to WebVTT: the header, `.` for the millisecond
 * separator, cue numbers kept as cue identifiers, SRT's pixel positions (`X1:…`)
 * and `<font>` and `{\an8}` styling dropped (WebVTT has no equivalent), and text
 * that would end a cue early (`-->`, blank lines) made safe.
 */
export function srtToWebVtt(srt: string): string {
  const lines = srt.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const cues: string[] = [];
  let index = 0;
  while (index < lines.length) {
    // Find the next timing line; the line before it (if any) is the cue number.
    const timing = SRT_TIMING.exec(lines[index] ?? '');
    if (!timing) {
      index++;
      continue;
    }
    const previous = lines[index - 1]?.trim();
    const identifier = previous && /^\d+$/.test(previous) ? previous : undefined;
    const [, h1, m1, s1, f1, h2, m2, s2, f2] = timing;
    const text: string[] = [];
    index++;
    while (index < lines.length && lines[index]!.trim() !== '') {
      // A number followed by a timing line is the next cue, even without a blank line.
      if (SRT_TIMING.test(lines[index + 1] ?? '') && /^\d+$/.test(lines[index]!.trim())) break;
      if (SRT_TIMING.test(lines[index]!)) break;
      text.push(cleanText(lines[index]!));
      index++;
    }
    const cue = [`${stamp(h1!, m1!, s1!, f1!)} --> ${stamp(h2!, m2!, s2!, f2!)}`, ...text].join('\n');
    cues.push(identifier ? `${identifier}\n${cue}` : cue);
  }
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

/** WebVTT text as served: the BOM dropped, line endings normalised, a header ensured. */
export function normaliseWebVtt(vtt: string): string {
  const text = vtt.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return /^WEBVTT([ \t].*)?(\n|$)/.test(text) ? text : `WEBVTT\n\n${text}`;
}

function stamp(hours: string, minutes: string, seconds: string, fraction: string): string {
  return `${hours.padStart(2, '0')}:${minutes.padStart(2, '0')}:${seconds.padStart(2, '0')}.${fraction.padEnd(3, '0')}`;
}

function cleanText(line: string): string {
  return line
    .replace(/\{\\[^}]*\}/g, '') // ASS override tags such as {\an8}
    .replace(/<\/?font[^>]*>/gi, '')
    .replace(/-->/g, '→');
}
