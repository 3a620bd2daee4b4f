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
  | 'ERR_LISTEN';

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

/** The `code` of a Node system error (`ENOENT`, `EACCES`…), if it has one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
