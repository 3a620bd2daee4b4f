// What a receiver page is asked it plays when it joins (`hello.supports` lists the ones
// it says yes to): the containers NAS files come in, the audio codecs of Google's table
// and passthrough, and video codecs at the levels the table distinguishes (RFC 6381
// strings). What each answer means for conversions: src/media/device-profile.ts.
// Browser-safe.

/** The MIME types, with codecs, a receiver is asked about. */
export const SUPPORT_TYPES = [
  'video/mp4',
  'video/webm',
  'video/mp2t',
  'video/x-matroska',
  'video/x-msvideo',
  'audio/mp4; codecs="mp4a.40.2"',
  'audio/mpeg',
  'audio/webm; codecs="opus"',
  'audio/webm; codecs="vorbis"',
  'audio/flac',
  'audio/mp4; codecs="ac-3"',
  'audio/mp4; codecs="ec-3"',
  'video/mp4; codecs="avc1.640029"',
  'video/mp4; codecs="avc1.640033"',
  'video/mp4; codecs="hvc1.1.6.L153.B0"',
  'video/mp4; codecs="hvc1.2.4.L153.B0"',
  'video/webm; codecs="vp8"',
  'video/webm; codecs="vp09.00.51.08"',
  'video/webm; codecs="vp09.02.51.10"',
  'video/mp4; codecs="av01.0.13M.10"',
] as const;

/** One of {@link SUPPORT_TYPES}. */
export type SupportType = (typeof SUPPORT_TYPES)[number];
