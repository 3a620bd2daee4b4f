/**
 * One error hierarchy for the whole package, in the manner of got's `errors.ts`:
 * every error is a {@link NasCastError} with a stable `code` that callers can
 * switch on. The codes are listed in README.md ("Error codes").
 */

/** Stable codes carried by {@link NasCastError}. */
export type NasCastErrorCode =
  | 'ERR_CONFIG'
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
  | 'ERR_UNPLAYABLE'
  | 'ERR_NOT_STARTED';

/** Base class of every error NasCast throws or emits. */
export class NasCastError extends Error {
  /** Stable, machine-readable code; see README.md for the table. */
  readonly code: NasCastErrorCode;

  constructor(code: NasCastErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NasCastError';
    this.code = code;
  }
}

/** A configuration value is missing or invalid. The message names the field. */
export class ConfigError extends NasCastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CONFIG', message, options);
    this.name = 'ConfigError';
  }
}

/** A media root cannot be read (unmounted NAS share, missing folder, no permission). */
export class RootUnavailableError extends NasCastError {
  /** The root's display name. */
  readonly root: string;

  constructor(root: string, message: string, options?: { cause?: unknown }) {
    super('ERR_ROOT_UNAVAILABLE', message, options);
    this.name = 'RootUnavailableError';
    this.root = root;
  }
}

/** No media item or subtitle has the given id (or it vanished from disk). */
export class MediaNotFoundError extends NasCastError {
  readonly id: string;

  constructor(id: string, options?: { cause?: unknown }) {
    super('ERR_MEDIA_NOT_FOUND', `no media with id '${id}'`, options);
    this.name = 'MediaNotFoundError';
    this.id = id;
  }
}

/** A path resolved (through a symlink, say) to somewhere outside its root. */
export class PathOutsideRootError extends NasCastError {
  constructor(message: string) {
    super('ERR_PATH_OUTSIDE_ROOT', message);
    this.name = 'PathOutsideRootError';
  }
}

/** A subtitle file could not be read or converted. */
export class SubtitleError extends NasCastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SUBTITLE', message, options);
    this.name = 'SubtitleError';
  }
}

/** The secrets file (token and signing key) could not be read or written. */
export class SecretsError extends NasCastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SECRETS', message, options);
    this.name = 'SecretsError';
  }
}

/** The HTTP server could not listen (port in use, address not available). */
export class ListenError extends NasCastError {
  readonly port: number;
  readonly host: string;

  constructor(host: string, port: number, options?: { cause?: unknown }) {
    const reason = errnoCode(options?.cause);
    const why =
      reason === 'EADDRINUSE'
        ? 'the port is already in use; pick another with --port'
        : reason === 'EACCES'
          ? 'permission denied; use a port above 1023'
          : reason === 'EADDRNOTAVAIL'
            ? 'that address is not on this machine'
            : (reason ?? 'unknown error');
    super('ERR_LISTEN', `cannot listen on ${host}:${port}: ${why}`, options);
    this.name = 'ListenError';
    this.port = port;
    this.host = host;
  }
}

/** The Cast device cannot be reached, or its connection went away and has not come back yet. */
export class DeviceUnavailableError extends NasCastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_DEVICE_UNAVAILABLE', message, options);
    this.name = 'DeviceUnavailableError';
  }
}

/** A Cast request had no answer within its deadline. */
export class CastTimeoutError extends NasCastError {
  /** What was asked, such as `LOAD` or `GET_STATUS`. */
  readonly operation: string;

  constructor(operation: string, timeoutMs: number) {
    super('ERR_CAST_TIMEOUT', `The device did not answer ${operation} within ${timeoutMs} ms`);
    this.name = 'CastTimeoutError';
    this.operation = operation;
  }
}

/** The device answered a Cast request with INVALID_REQUEST or a reply we cannot read. */
export class CastProtocolError extends NasCastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CAST_PROTOCOL', message, options);
    this.name = 'CastProtocolError';
  }
}

/** The device refused to launch an app (LAUNCH_ERROR), or says it is not available. */
export class LaunchError extends NasCastError {
  readonly appId: string;
  /** The device's reason, such as `NOT_FOUND`. */
  readonly reason: string;

  constructor(appId: string, reason: string) {
    super('ERR_LAUNCH', `The device could not launch app ${appId}: ${reason}`);
    this.name = 'LaunchError';
    this.appId = appId;
    this.reason = reason;
  }
}

/** The device could not load the media (LOAD_FAILED or LOAD_CANCELLED). */
export class LoadFailedError extends NasCastError {
  /** The device's reason when it gave one, else the reply type. */
  readonly reason: string;

  constructor(reason: string) {
    super('ERR_LOAD_FAILED', `The device could not load the media: ${reason}`);
    this.name = 'LoadFailedError';
    this.reason = reason;
  }
}

/** A playback command (pause, seek…) came while nothing is loaded on the device. */
export class NoMediaSessionError extends NasCastError {
  constructor(operation: string) {
    super('ERR_NO_MEDIA_SESSION', `Nothing is loaded on the device, so ${operation} cannot apply`);
    this.name = 'NoMediaSessionError';
  }
}

/** A URL to cast cannot play: unreachable, an error status, or a type a Chromecast cannot play. */
export class UnplayableMediaError extends NasCastError {
  readonly url: string;

  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super('ERR_UNPLAYABLE', `Cannot cast ${url}: ${reason}`, options);
    this.name = 'UnplayableMediaError';
    this.url = url;
  }
}

/** A part of `NasCast` that exists only once it has started was used before `start()` resolved. */
export class NotStartedError extends NasCastError {
  constructor() {
    super('ERR_NOT_STARTED', 'NasCast has not started: await start() first');
    this.name = 'NotStartedError';
  }
}

/** The `code` of a Node system error (`ENOENT`, `EACCES`…), if it has one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
