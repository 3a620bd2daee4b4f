// A media element's error as a sentence that says what happened and what to do, never
// Chromium's pipeline internals (`PipelineStatus::CHUNK_DEMUXER_ERROR_APPEND_FAILED:
// Unsupported audio object type 0x6b in esds.`), which say nothing to the person watching.

const CODES: Record<number, string> = {
  1: 'Playback was stopped before it started (MEDIA_ERR_ABORTED)',
  2: 'The download broke off (MEDIA_ERR_NETWORK)',
  3: 'The file could not be decoded (MEDIA_ERR_DECODE)',
  4: 'This screen cannot play the file, or could not fetch it (MEDIA_ERR_SRC_NOT_SUPPORTED)',
};

// What the browser's own message points at, read for its meaning only.
const CAUSES: ReadonlyArray<readonly [pattern: RegExp, words: string]> = [
  [/audio object type|audio codec|AudioDecoder|audio decoder|audio config/i, 'its sound is in a codec this screen does not decode'],
  [/video codec|VideoDecoder|video decoder|video config|hevc|hvc1|hev1/i, 'its picture is in a codec this screen does not decode'],
  [/NO_SUPPORTED_STREAMS|no supported streams/i, 'it has no picture or sound this screen plays'],
  [/COULD_NOT_OPEN|COULD_NOT_PARSE|Format error|demuxer/i, 'its container is not one this screen reads'],
  [/network|NETWORK|fetch|HTTP/i, 'the connection to NasCast broke off'],
  [/decode|DECODE/i, 'part of it could not be decoded: the file may be damaged'],
];

const WHAT_TO_DO = 'NasCast converts what a screen cannot play: `nascast info <file>` says what it does for this one; a damaged file plays no better converted';

/** The element's error in words, with its code and what to do; the browser's message only as the cause it names. */
export function mediaErrorText(error: { code: number; message?: string } | null): string {
  if (!error) return 'Playback failed for a reason the browser did not give';
  const cause = CAUSES.find(([pattern]) => pattern.test(error.message ?? ''))?.[1];
  return `${CODES[error.code] ?? `Playback failed (media error ${error.code})`}${cause ? `: ${cause}` : ''}. ${WHAT_TO_DO}.`;
}
