// How the other subcommands find a running `nascast serve`: each server leaves a note
// of its own in its storage folder (beside the token file) while it runs, named by its
// port, so that two servers sharing the folder never write over or delete each other's.
import fs from 'node:fs/promises';
import path from 'node:path';
import { errnoCode } from '../api.ts';
import { socketAnswers } from './local-socket.ts';

/** A server's note and its local socket, in the storage folder: `nascast-server-<port>.json` and `.sock`. */
const NOTE = /^nascast-server-(\d+)\.json$/;

export function notePath(storage: string, port: number): string {
  return path.join(storage, `nascast-server-${port}.json`);
}

export function socketPath(storage: string, port: number): string {
  return path.join(storage, `nascast-server-${port}.sock`);
}

/** A media folder a server serves: its name in the library, and its real path on this machine. */
export interface NotedRoot {
  readonly name: string;
  readonly path: string;
}

/**
 * What `nascast serve` writes while it runs. No secret: the token stays in its own file,
 * and a token given otherwise is named only by how it was given. Paths are no secret
 * from the same user, and the note is mode 0600 like the token file beside it.
 */
export interface RunningServer {
  readonly pid: number;
  readonly port: number;
  /** Its HTTP address as this machine reaches it. */
  readonly url: string;
  /** The control channel over TCP (with the token): `wss://` with HTTPS on. */
  readonly controlUrl: string;
  /** With HTTPS on: the SHA-256 fingerprint of its certificate, for commands that reach it over TCP. */
  readonly fingerprint?: string;
  /** The Unix socket whose controllers need no token; absent if it could not be made. */
  readonly socket?: string;
  readonly roots: readonly NotedRoot[];
  /** How the token was given (`--token`, `--token-file <file>`, `$NASCAST_TOKEN`); absent: the stored one. */
  readonly tokenGiven?: string;
}

/** Notes the running server (written whole, then renamed: a reader never sees half a note). */
export async function noteServer(storage: string, server: RunningServer): Promise<void> {
  // The folder is there already (the secrets are in it); a recursive mkdir would retry
  // for ever where the kernel answers ENOENT under a folder that exists (/proc).
  await fs.mkdir(storage, { mode: 0o700 }).catch((error: unknown) => {
    if (errnoCode(error) !== 'EEXIST') throw error;
  });
  const file = notePath(storage, server.port);
  const partial = `${file}.${process.pid}.partial`;
  try {
    await fs.writeFile(partial, JSON.stringify(server) + '\n', { mode: 0o600 });
    await fs.rename(partial, file);
  } catch (error) {
    await fs.rm(partial, { force: true }).catch(() => {});
    throw error;
  }
}

/** Removes this process's note on `port`; another server's is left alone. */
export async function forgetServer(storage: string, port: number): Promise<void> {
  const file = notePath(storage, port);
  if ((await readNote(file))?.pid === process.pid) await fs.rm(file, { force: true });
}

/**
 * The servers that run with this storage folder, by port. A note outlives a server that
 * was killed: one whose process is gone, or whose socket no longer answers (its pid
 * reused since), is not a server.
 */
export async function runningServers(storage: string): Promise<RunningServer[]> {
  let names: string[];
  try {
    names = await fs.readdir(storage);
  } catch {
    return [];
  }
  const notes = await Promise.all(names.filter((name) => NOTE.test(name)).map((name) => readNote(path.join(storage, name))));
  const alive = await Promise.all(notes.map(async (note) => (note && processRuns(note.pid) && (note.socket === undefined || (await socketAnswers(note.socket))) ? note : undefined)));
  return alive.filter((note) => note !== undefined).sort((a, b) => a.port - b.port);
}

async function readNote(file: string): Promise<RunningServer | undefined> {
  let parsed: Partial<RunningServer>;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<RunningServer>;
  } catch {
    return undefined;
  }
  const { pid, port, url, controlUrl, fingerprint, socket, roots, tokenGiven } = parsed;
  if (typeof pid !== 'number' || typeof port !== 'number' || typeof url !== 'string' || typeof controlUrl !== 'string' || !Array.isArray(roots)) return undefined;
  if (!(roots as unknown[]).every((root) => typeof (root as Partial<NotedRoot> | null)?.name === 'string' && typeof (root as Partial<NotedRoot>).path === 'string')) return undefined;
  return { pid, port, url, controlUrl, roots, ...(typeof fingerprint === 'string' ? { fingerprint } : {}), ...(typeof socket === 'string' ? { socket } : {}), ...(typeof tokenGiven === 'string' ? { tokenGiven } : {}) };
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return errnoCode(error) === 'EPERM';
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
