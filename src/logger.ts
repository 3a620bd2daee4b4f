/**
 * The logger NasCast writes to. Homebridge's `Logging` fits this shape, and so
 * does {@link consoleLogger}. Nothing secret (tokens, grants, signing keys) is
 * ever passed to it.
 */
export interface Logger {
  debug(message: string, ...parameters: unknown[]): void;
  info(message: string, ...parameters: unknown[]): void;
  warn(message: string, ...parameters: unknown[]): void;
  error(message: string, ...parameters: unknown[]): void;
}

/** A logger that drops everything; the default for library callers. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger for the command line: info to stdout, warnings and errors to stderr. */
export function consoleLogger(options: { debug?: boolean } = {}): Logger {
  return {
    debug: (message, ...parameters) => {
      if (options.debug) console.error(`[debug] ${message}`, ...parameters);
    },
    info: (message, ...parameters) => console.log(message, ...parameters),
    warn: (message, ...parameters) => console.error(`warning: ${message}`, ...parameters),
    error: (message, ...parameters) => console.error(`error: ${message}`, ...parameters),
  };
}
