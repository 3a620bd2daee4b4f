// CAF's `cast.framework.events.DetailedErrorCode`: the number a Cast receiver puts in
// `detailedErrorCode` of a LOAD_FAILED / LOAD_CANCELLED / ERROR on the media namespace.
// Names and numbers from @types/chromecast-caf-receiver 6.0.26 (cast.framework.events.d.ts),
// checked against Google's error-code page (https://developers.google.com/cast/docs/web_receiver/error_codes).
// Shared by the sender (what to tell a user) and the simulator (what to send).

/** Every detailed error code, by its CAF name. */
export const DETAILED_ERROR_CODES = {
  MEDIA_UNKNOWN: 100,
  MEDIA_ABORTED: 101,
  MEDIA_DECODE: 102,
  MEDIA_NETWORK: 103,
  MEDIA_SRC_NOT_SUPPORTED: 104,
  SOURCE_BUFFER_FAILURE: 110,
  MEDIAKEYS_UNKNOWN: 200,
  MEDIAKEYS_NETWORK: 201,
  MEDIAKEYS_UNSUPPORTED: 202,
  MEDIAKEYS_WEBCRYPTO: 203,
  NETWORK_UNKNOWN: 300,
  SEGMENT_NETWORK: 301,
  HLS_NETWORK_MASTER_PLAYLIST: 311,
  HLS_NETWORK_PLAYLIST: 312,
  HLS_NETWORK_NO_KEY_RESPONSE: 313,
  HLS_NETWORK_KEY_LOAD: 314,
  HLS_NETWORK_INVALID_SEGMENT: 315,
  HLS_SEGMENT_PARSING: 316,
  DASH_NETWORK: 321,
  DASH_NO_INIT: 322,
  SMOOTH_NETWORK: 331,
  SMOOTH_NO_MEDIA_DATA: 332,
  MANIFEST_UNKNOWN: 400,
  HLS_MANIFEST_MASTER: 411,
  HLS_MANIFEST_PLAYLIST: 412,
  DASH_MANIFEST_UNKNOWN: 420,
  DASH_MANIFEST_NO_PERIODS: 421,
  DASH_MANIFEST_NO_MIMETYPE: 422,
  DASH_INVALID_SEGMENT_INFO: 423,
  SMOOTH_MANIFEST: 431,
  SEGMENT_UNKNOWN: 500,
  TEXT_UNKNOWN: 600,
  APP: 900,
  BREAK_CLIP_LOADING_ERROR: 901,
  BREAK_SEEK_INTERCEPTOR_ERROR: 902,
  IMAGE_ERROR: 903,
  LOAD_INTERRUPTED: 904,
  LOAD_FAILED: 905,
  MEDIA_ERROR_MESSAGE: 906,
  // The typings and the Android SDK say 999; Google's HTML page prints 909. We send 999 and read both.
  GENERIC: 999,
} as const;

/** A detailed error code's CAF name (`MEDIA_SRC_NOT_SUPPORTED`). */
export type DetailedErrorName = keyof typeof DETAILED_ERROR_CODES;

/** A detailed error code's number (104). */
export type DetailedErrorCode = (typeof DETAILED_ERROR_CODES)[DetailedErrorName];

const NAMES: ReadonlyMap<number, DetailedErrorName> = new Map([
  ...Object.entries(DETAILED_ERROR_CODES).map(([name, code]) => [code, name as DetailedErrorName] as const),
  [909, 'GENERIC'],
]);

/** The CAF name of a code a device sent (909 and 999 are both GENERIC); undefined for a number CAF does not define. */
export function detailedErrorName(code: number): DetailedErrorName | undefined {
  return NAMES.get(code);
}

/** The number of a code given by name or number; undefined for neither. */
export function detailedErrorCode(code: number | string): DetailedErrorCode | undefined {
  if (typeof code === 'number') return NAMES.has(code) ? DETAILED_ERROR_CODES[NAMES.get(code)!] : undefined;
  return Object.hasOwn(DETAILED_ERROR_CODES, code) ? DETAILED_ERROR_CODES[code as DetailedErrorName] : undefined;
}
