/**
 * One error hierarchy for the whole package, in the manner of got's `errors.ts`:
 * every error NasCast throws, emits or sends is a {@link NasCastError} with a stable
 * `code` (a class field) that callers can switch on. The codes are listed in README.md
 * ("Error codes"), and a test holds that table to this file.
 *
 * Browser-safe: the web page imports it as it is (no Node import; a lint rule keeps it so).
 */
import type { ControlErrorCode } from './protocol/codes.ts';

/** Stable codes of the package's own errors. */
export type NasCastErrorCode =
  | 'ERR_CONFIG'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_ROOT_UNAVAILABLE'
  | 'ERR_MEDIA_NOT_FOUND'
  | 'ERR_PATH_OUTSIDE_ROOT'
  | 'ERR_SUBTITLE'
  | 'ERR_SECRETS'
  | 'ERR_LISTEN'
  | 'ERR_DEVICE_UNAVAILABLE'
  | 'ERR_CAST_TIMEOUT'
  | 'ERR_CAST_PROTOCOL'
  | 'ERR_LAUNCH'
  | 'ERR_LOAD_FAILED'
  | 'ERR_NO_MEDIA_SESSION'
  | 'ERR_QUEUE_END'
  | 'ERR_UNPLAYABLE'
  | 'ERR_NOT_STARTED'
  | 'ERR_PROBE'
  | 'ERR_FFMPEG_MISSING'
  | 'ERR_BUSY'
  | 'ERR_CONVERSION';

/** Codes of {@link ControlError}: the control protocol's, plus `CLOSED` for a client that was closed. */
export type ControlErrorReason = ControlErrorCode | 'CLOSED';

/** Every code a {@link NasCastError} carries. */
export type ErrorCode = NasCastErrorCode | ControlErrorReason;

/** Base class of every error NasCast throws, emits or sends. */
export abstract class NasCastError extends Error {
  /** Stable, machine-readable code; see README.md for the table. */
  abstract readonly code: ErrorCode;
  override name = 'NasCastError';
}

/** A configuration value is missing or invalid. The message names the field. */
export class ConfigError extends NasCastError {
  readonly code = 'ERR_CONFIG';
  override name = 'ConfigError';
}

/** A value passed to a method is out of its range (a negative seek, a volume over 1). */
export class InvalidArgumentError extends NasCastError {
  readonly code = 'ERR_INVALID_ARGUMENT';
  override name = 'InvalidArgumentError';
}

/** A media root cannot be read (unmounted NAS share, missing folder, no permission). */
export class RootUnavailableError extends NasCastError {
  readonly code = 'ERR_ROOT_UNAVAILABLE';
  override name = 'RootUnavailableError';
  /** The root's display name. */
  readonly root: string;

  constructor(root: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.root = root;
  }
}

/** No media item or subtitle has the given id (or it vanished from disk). */
export class MediaNotFoundError extends NasCastError {
  readonly code = 'ERR_MEDIA_NOT_FOUND';
  override name = 'MediaNotFoundError';
  readonly id: string;

  constructor(id: string, options?: ErrorOptions) {
    super(`no media with id '${id}'`, options);
    this.id = id;
  }
}

/** A path resolved (through a symlink, say) to somewhere outside its root. */
export class PathOutsideRootError extends NasCastError {
  readonly code = 'ERR_PATH_OUTSIDE_ROOT';
  override name = 'PathOutsideRootError';
}

/** A subtitle file could not be read or converted. */
export class SubtitleError extends NasCastError {
  readonly code = 'ERR_SUBTITLE';
  override name = 'SubtitleError';
}

/** The secrets file (token and signing key) could not be read or written. */
export class SecretsError extends NasCastError {
  readonly code = 'ERR_SECRETS';
  override name = 'SecretsError';
}

/** The HTTP server could not listen (port in use, address not available). */
export class ListenError extends NasCastError {
  readonly code = 'ERR_LISTEN';
  override name = 'ListenError';
  readonly port: number;
  readonly host: string;

  constructor(host: string, port: number, options?: ErrorOptions) {
    super(`cannot listen on ${host}:${port}: ${listenFailure(errnoCode(options?.cause))}`, options);
    this.port = port;
    this.host = host;
  }
}

/** The Cast device cannot be reached, or its connection went away and has not come back yet. */
export class DeviceUnavailableError extends NasCastError {
  readonly code = 'ERR_DEVICE_UNAVAILABLE';
  override name = 'DeviceUnavailableError';
}

/** A Cast request had no answer within its deadline. */
export class CastTimeoutError extends NasCastError {
  readonly code = 'ERR_CAST_TIMEOUT';
  override name = 'CastTimeoutError';
  /** What was asked, such as `LOAD` or `GET_STATUS`. */
  readonly operation: string;

  constructor(operation: string, timeoutMs: number) {
    super(`The device did not answer ${operation} within ${timeoutMs} ms`);
    this.operation = operation;
  }
}

/** The device answered a Cast request with INVALID_REQUEST or a reply we cannot read. */
export class CastProtocolError extends NasCastError {
  readonly code = 'ERR_CAST_PROTOCOL';
  override name = 'CastProtocolError';
}

/** The device refused to launch an app (LAUNCH_ERROR), or says it is not available. */
export class LaunchError extends NasCastError {
  readonly code = 'ERR_LAUNCH';
  override name = 'LaunchError';
  readonly appId: string;
  /** The device's reason, such as `NOT_FOUND`. */
  readonly reason: string;

  constructor(appId: string, reason: string) {
    super(`The device could not launch app ${appId}: ${reason}`);
    this.appId = appId;
    this.reason = reason;
  }
}

/** The device could not load the media (LOAD_FAILED or LOAD_CANCELLED). */
export class LoadFailedError extends NasCastError {
  readonly code = 'ERR_LOAD_FAILED';
  override name = 'LoadFailedError';
  /** Why, in words built from what the device sent (its detailed error code, else its reason). */
  readonly reason: string;
  /** The device's `detailedErrorCode` (CAF's DetailedErrorCode: 104 MEDIA_SRC_NOT_SUPPORTED…), when it sent one. */
  readonly detailedErrorCode: number | undefined;

  constructor(reason: string, detailedErrorCode?: number) {
    super(`The device could not load the media: ${reason}`);
    this.reason = reason;
    this.detailedErrorCode = detailedErrorCode;
  }
}

/** A playback command (pause, seek…) came while nothing is loaded on the device. */
export class NoMediaSessionError extends NasCastError {
  readonly code = 'ERR_NO_MEDIA_SESSION';
  override name = 'NoMediaSessionError';

  constructor(operation: string) {
    super(`Nothing is loaded on the device, so ${operation} cannot apply`);
  }
}

/** `next` on the last item of a queue, or `prev` before the first: there is nothing to move to. */
export class QueueEndError extends NasCastError {
  readonly code = 'ERR_QUEUE_END';
  override name = 'QueueEndError';

  constructor(operation: 'next' | 'prev') {
    super(operation === 'next' ? 'There is no next item: this is the last one in the queue' : 'There is no previous item: this is the first one in the queue');
  }
}

/** A URL to cast cannot play: unreachable, an error status, or a type a Chromecast cannot play. */
export class UnplayableMediaError extends NasCastError {
  readonly code = 'ERR_UNPLAYABLE';
  override name = 'UnplayableMediaError';
  readonly url: string;

  constructor(url: string, reason: string, options?: ErrorOptions) {
    super(`Cannot cast ${url}: ${reason}`, options);
    this.url = url;
  }
}

/**
 * ffprobe could not read a media file: not media, damaged, empty, or it did not
 * finish in time. A file that cannot be opened at all is not this: that is the
 * file system's own error.
 */
export class MediaProbeError extends NasCastError {
  readonly code = 'ERR_PROBE';
  override name = 'MediaProbeError';
  /** The file, as people see its name. */
  readonly file: string;
  /** Why, in words: `empty file`, `ffprobe did not finish within 30 s`… */
  readonly reason: string;
  /** ffprobe was stopped at its deadline: the file may be fine and the disk slow. */
  readonly timedOut: boolean;

  constructor(file: string, reason: string, options?: ErrorOptions & { timedOut?: boolean }) {
    super(`Cannot probe '${file}': ${reason}`, options);
    this.file = file;
    this.reason = reason;
    this.timedOut = options?.timedOut ?? false;
  }
}

/** ffprobe or ffmpeg cannot be run: not installed, not at the configured path, or not executable. */
export class FfmpegMissingError extends NasCastError {
  readonly code = 'ERR_FFMPEG_MISSING';
  override name = 'FfmpegMissingError';
  /** The path that was tried. */
  readonly path: string;

  constructor(path: string, program: 'ffprobe' | 'ffmpeg' = 'ffprobe', options?: ErrorOptions) {
    super(
      `${program} was not found at '${path}'; install ffmpeg (Debian/Ubuntu: sudo apt install ffmpeg; Synology: the ffmpeg package from SynoCommunity) or set ${program}Path`,
      options,
    );
    this.path = path;
  }
}

/**
 * A file needs converting and as many conversions as allowed already run
 * (`maxConversions`): the message says how many and what to do.
 */
export class BusyError extends NasCastError {
  readonly code = 'ERR_BUSY';
  override name = 'BusyError';
  /** The limit that was reached. */
  readonly limit: number;

  constructor(limit: number) {
    super(`NasCast is already converting ${limit} file${limit === 1 ? '' : 's'} for other devices, as many as it is allowed (maxConversions): stop one, or cast a file that plays as it is`);
    this.limit = limit;
  }
}

/** ffmpeg failed while converting a file for a device: it exited with an error, or wrote something that is not fragmented MP4. */
export class ConversionError extends NasCastError {
  readonly code = 'ERR_CONVERSION';
  override name = 'ConversionError';
  /** The file, as people see its name. */
  readonly file: string;
  /** Why, in words (ffmpeg's last line of error, bounded). */
  readonly reason: string;

  constructor(file: string, reason: string, options?: ErrorOptions) {
    super(`Cannot convert '${file}': ${reason}`, options);
    this.file = file;
    this.reason = reason;
  }
}

/** A part of `NasCast` that exists only once it has started was used before `start()` resolved. */
export class NotStartedError extends NasCastError {
  readonly code = 'ERR_NOT_STARTED';
  override name = 'NotStartedError';

  constructor() {
    super('NasCast has not started: await start() first');
  }
}

/**
 * A control-channel request that failed, with the protocol's code (README.md,
 * "Control channel"). The hub's own refusals are these; {@link ControlClient} rejects
 * with one for every `error { code, message }` it is answered with.
 */
export class ControlError extends NasCastError {
  readonly code: ControlErrorReason;
  override name = 'ControlError';

  constructor(code: ControlErrorReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** `UNKNOWN_DEVICE`, in the one-line form that says what was found instead. */
export function unknownDevice(device: string, found: readonly string[]): ControlError {
  return new ControlError('UNKNOWN_DEVICE', `no device named '${device}'; found: ${found.length ? found.join(', ') : 'none'}`);
}

// How each package error is answered on the control channel. `INTERNAL` ones are
// logged in full and answered with a generic message (their text may name paths).
const CONTROL_CODES: Record<NasCastErrorCode, ControlErrorCode> = {
  ERR_CONFIG: 'INTERNAL',
  ERR_INVALID_ARGUMENT: 'BAD_REQUEST',
  ERR_ROOT_UNAVAILABLE: 'INTERNAL',
  ERR_MEDIA_NOT_FOUND: 'UNKNOWN_MEDIA',
  ERR_PATH_OUTSIDE_ROOT: 'INTERNAL',
  ERR_SUBTITLE: 'INTERNAL',
  ERR_SECRETS: 'INTERNAL',
  ERR_LISTEN: 'INTERNAL',
  ERR_DEVICE_UNAVAILABLE: 'DEVICE_OFFLINE',
  ERR_CAST_TIMEOUT: 'TIMEOUT',
  ERR_CAST_PROTOCOL: 'INTERNAL',
  ERR_LAUNCH: 'DEVICE_OFFLINE',
  ERR_LOAD_FAILED: 'LOAD_FAILED',
  ERR_NO_MEDIA_SESSION: 'BAD_REQUEST',
  ERR_QUEUE_END: 'BAD_REQUEST',
  ERR_UNPLAYABLE: 'LOAD_FAILED',
  ERR_NOT_STARTED: 'INTERNAL',
  ERR_PROBE: 'INTERNAL',
  ERR_FFMPEG_MISSING: 'INTERNAL',
  ERR_BUSY: 'LOAD_FAILED',
  ERR_CONVERSION: 'LOAD_FAILED',
};

/**
 * The control protocol's code for an error: a {@link ControlError}'s own (`CLOSED`,
 * which never crosses the wire, as `INTERNAL`), a package error's from the table
 * above, and `INTERNAL` for anything else.
 */
export function controlCodeOf(error: unknown): ControlErrorCode {
  if (error instanceof ControlError) return error.code === 'CLOSED' ? 'INTERNAL' : error.code;
  if (error instanceof NasCastError) return CONTROL_CODES[error.code as NasCastErrorCode] ?? 'INTERNAL';
  return 'INTERNAL';
}

/** An error's message, or the thrown value in words when it is not an `Error`. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `code` of a Node system error (`ENOENT`, `EACCES`…), if it has one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function listenFailure(reason: string | undefined): string {
  if (reason === 'EADDRINUSE') return 'the port is already in use; pick another with --port';
  if (reason === 'EACCES') return 'permission denied; use a port above 1023';
  if (reason === 'EADDRNOTAVAIL') return 'that address is not on this machine';
  return reason ?? 'unknown error';
}
