// How the other subcommands find a running `nascast serve`: it leaves a note in its
// storage folder (beside the token file) while it runs.
import fs from 'node:fs/promises';
import path from 'node:path';

/** The note's name in the storage folder. */
export const SERVER_FILE = 'nascast-server.json';

/** What `nascast serve` writes while it runs. No secret: the token stays in its own file. */
export interface RunningServer {
  /** The control channel as this machine reaches it. */
  readonly controlUrl: string;
  readonly pid: number;
}

/** Notes the running server; the file is removed by {@link forgetServer}. */
export async function noteServer(storage: string, server: RunningServer): Promise<void> {
  // The folder is there already (the secrets are in it); a recursive mkdir would retry
  // for ever where the kernel answers ENOENT under a folder that exists (/proc).
  await fs.mkdir(storage, { mode: 0o700 }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  await fs.writeFile(path.join(storage, SERVER_FILE), JSON.stringify(server) + '\n');
}

/** Removes the note, if it is this process's. */
export async function forgetServer(storage: string): Promise<void> {
  const found = await readServer(storage, { alive: false });
  if (found?.pid === process.pid) await fs.rm(path.join(storage, SERVER_FILE), { force: true });
}

/** The noted server, if there is one (and, unless `alive: false`, its process still runs). */
export async function readServer(storage: string, options: { alive?: boolean } = {}): Promise<RunningServer | undefined> {
  let parsed: Partial<RunningServer>;
  try {
    parsed = JSON.parse(await fs.readFile(path.join(storage, SERVER_FILE), 'utf8')) as Partial<RunningServer>;
  } catch {
    return undefined;
  }
  if (typeof parsed.controlUrl !== 'string' || typeof parsed.pid !== 'number') return undefined;
  if (options.alive !== false && !processRuns(parsed.pid)) return undefined;
  return { controlUrl: parsed.controlUrl, pid: parsed.pid };
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `http://nas:8585`, `nas:8585` or `ws://nas:8585/control` → the control channel's URL. */
export function controlUrlOf(server: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(server) ? server : `http://${server}`;
  const url = new URL(withScheme);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/control';
  return url.toString();
}
