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

// C0 controls but tab, DEL, C1 controls, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' };

/**
 * Text from the network or the disk made safe to log (CWE-117): control characters
 * are written out (`\n`, `\r`, `\x1b`, `\u2028`), so a device name or a file name
 * can neither forge a log line nor send escape sequences to a terminal.
 */
export function escapeForLog(text: string): string {
  return text.replace(CONTROL, (char) => NAMED[char] ?? (char.charCodeAt(0) > 0xff ? `\\u${char.charCodeAt(0).toString(16)}` : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/**
 * A logger that escapes every message with {@link escapeForLog} before passing it on:
 * one log call is one line, whatever names and paths it quotes. `NasCast` wraps the
 * logger it is given in it; escaping twice changes nothing.
 */
export function escapingLogger(logger: Logger): Logger {
  if (ESCAPING.has(logger) || logger === silentLogger) return logger;
  const escaping: Logger = {
    debug: (message, ...parameters) => logger.debug(escapeForLog(message), ...parameters),
    info: (message, ...parameters) => logger.info(escapeForLog(message), ...parameters),
    warn: (message, ...parameters) => logger.warn(escapeForLog(message), ...parameters),
    error: (message, ...parameters) => logger.error(escapeForLog(message), ...parameters),
  };
  ESCAPING.add(escaping);
  return escaping;
}

// Loggers that escape already: each part wraps the logger it is given, once in all.
const ESCAPING = new WeakSet<Logger>();

/** The logger a part writes to: the one it was given, escaping, or the silent one. */
export function partLogger(logger: Logger | undefined): Logger {
  return logger ? escapingLogger(logger) : silentLogger;
}

/** A logger for the command line: info to stdout, warnings and errors to stderr, each message escaped. */
export function consoleLogger(options: { debug?: boolean } = {}): Logger {
  return escapingLogger({
    debug: (message, ...parameters) => {
      if (options.debug) console.error(`[debug] ${message}`, ...parameters);
    },
    info: (message, ...parameters) => console.log(message, ...parameters),
    warn: (message, ...parameters) => console.error(`warning: ${message}`, ...parameters),
    error: (message, ...parameters) => console.error(`error: ${message}`, ...parameters),
  });
}
