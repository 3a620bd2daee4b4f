/**
 * Loads `node:sqlite` without its ExperimentalWarning. Node 22.13–24.14 print
 * "SQLite is an experimental feature and might change at any time" to stderr when
 * the module is first loaded; Homebridge shows every stderr line in its log, where
 * users take it for a fault of the plugin. A plugin cannot pass
 * `--disable-warning` to Homebridge's process, so exactly that one warning is
 * dropped in-process while the module loads; every other warning passes through.
 * The import is dynamic because a static one would run before any filter could.
 */
type Sqlite = typeof import('node:sqlite');

let loaded: Promise<Sqlite> | undefined;

/** True for the one warning `node:sqlite` emits on load (Node 22.13–24.14), and nothing else. */
export function isSqliteExperimentalWarning(warning: unknown, type?: unknown): boolean {
  const name = typeof type === 'string' ? type : warning instanceof Error ? warning.name : undefined;
  const message = warning instanceof Error ? warning.message : typeof warning === 'string' ? warning : '';
  return name === 'ExperimentalWarning' && /^SQLite is an experimental feature/.test(message);
}

/** `node:sqlite`, loaded once, without the warning above. */
export function loadSqlite(): Promise<Sqlite> {
  loaded ??= withoutSqliteWarning(() => import('node:sqlite'));
  return loaded;
}

/**
 * Runs `load` with the SQLite ExperimentalWarning dropped; any other warning it
 * emits goes out as usual. (Exported for its test: Node 24.15+ no longer warns.)
 */
export async function withoutSqliteWarning<T>(load: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(process, 'emitWarning');
  const original = process.emitWarning.bind(process);
  // The warning is emitted synchronously while the module evaluates, so the
  // wrapper is only in place for the import; other warnings go to the original.
  const filtered = function (...args: Parameters<typeof process.emitWarning>): void {
    const [warning, options] = args;
    const type = typeof options === 'string' ? options : typeof options === 'object' && options !== null ? options.type : undefined;
    if (isSqliteExperimentalWarning(warning, type)) return;
    Reflect.apply(original, process, args);
  } as typeof process.emitWarning;
  process.emitWarning = filtered;
  try {
    return await load();
  } finally {
    if (process.emitWarning === filtered && saved) Object.defineProperty(process, 'emitWarning', saved);
  }
}
