// The control protocol's constants: its version, the playback states, the error codes
// answered in `error { code }` and the WebSocket close codes. Browser-safe.

/** Protocol version carried as `v` in every message. */
export const PROTOCOL_VERSION = 1;

/** Playback states, the same as the `Player` interface's. */
export const PLAYBACK_STATES = ['IDLE', 'LOADING', 'BUFFERING', 'PLAYING', 'PAUSED', 'ENDED', 'ERROR'] as const;

/** `error.code` values. Each is documented in README.md. */
export const CONTROL_ERROR_CODES = [
  'UNAUTHORIZED',
  'BAD_REQUEST',
  'UNKNOWN_TYPE',
  'UNKNOWN_MEDIA',
  'UNKNOWN_DEVICE',
  'DEVICE_OFFLINE',
  'LOAD_FAILED',
  'TIMEOUT',
  'RATE_LIMITED',
  'INTERNAL',
] as const;
export type ControlErrorCode = (typeof CONTROL_ERROR_CODES)[number];

/** WebSocket close codes the hub uses. */
export const CLOSE_CODES = {
  /** The handshake's token is missing, wrong or expired. */
  unauthorized: 4401,
  /** No `hello` within the handshake deadline. */
  helloTimeout: 4408,
  /** Too many messages: the per-socket rate limit. */
  rateLimited: 4429,
  /** A frame that is not JSON text. */
  invalidPayload: 1007,
  /** A frame without a valid envelope (`v`, `type`, `id`), or a second `hello`. */
  policyViolation: 1008,
  /** A frame over the size limit (ws closes with it). */
  tooBig: 1009,
  /** A live receiver already speaks for that device, or has that name (and this is not the same screen reconnecting). */
  receiverTaken: 4409,
  /** Too many receivers are connected, in all or with this receiver token. */
  tooManyReceivers: 4403,
  /** The client reads too slowly: its send buffer passed the bound. */
  slowConsumer: 4413,
  /** The server is stopping. */
  goingAway: 1001,
} as const;
