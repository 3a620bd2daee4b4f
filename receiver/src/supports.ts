// What this screen plays, asked when it joins NasCast (`hello.supports`): NasCast then
// converts for it only what it cannot play. A browser answers for its <video> element
// (and Media Source Extensions, which hls.js plays through); a Chromecast through CAF's
// canDisplayType, which knows the device's decoders and the TV behind it.
import { SUPPORT_TYPES } from '../../src/protocol/index.ts';

/** The questions' types this screen says yes to; undefined when it cannot be asked (no such API here). */
export function supportedTypes(canPlay: (type: string) => boolean): string[] | undefined {
  let answered = false;
  const yes = SUPPORT_TYPES.filter((type) => {
    try {
      const answer = canPlay(type);
      answered = true;
      return answer;
    } catch {
      return false;
    }
  });
  return answered ? yes : undefined;
}

/**
 * A browser's answer: its element's, which plays the files NasCast hands over as they
 * are. Not Media Source Extensions': Chromium says yes there to MPEG-TS, which hls.js
 * repackages, and no to a plain .ts file on the element (measured, Chromium 156).
 */
export function browserCanPlay(video: HTMLVideoElement): (type: string) => boolean {
  return (type) => video.canPlayType(type) !== '';
}

/** A Chromecast's answer, through CAF. */
export function castCanPlay(context: { canDisplayType(mimeType: string, codecs?: string): boolean }): (type: string) => boolean {
  return (type) => {
    const [mime, ...rest] = type.split(';');
    const codecs = /codecs="([^"]+)"/.exec(rest.join(';'))?.[1];
    return context.canDisplayType(mime!.trim(), codecs);
  };
}
