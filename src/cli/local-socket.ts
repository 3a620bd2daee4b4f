// The Unix socket `nascast serve` listens on in its storage folder, besides its port:
// the control channel for commands on this machine, with no token. The socket's mode
// (0600, in a folder of mode 0700) is the authentication, as it was for the first
// design's local device proxy.
import fs from 'node:fs/promises';
import type { Server } from 'node:http';
import net from 'node:net';
import { errnoCode } from '../api.ts';

// An ES import of node:http loads undici and more (see eslint.config.js).
const http = process.getBuiltinModule('node:http');

// sun_path holds 108 bytes on Linux (104 on macOS and the BSDs), its NUL included.
const MAX_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

/** How long a socket may take to accept before it counts as not answering. */
const PROBE_MS = 1000;

/** Another server listens on the socket: it, and its note of the same name, are that server's. */
export class SocketInUseError extends Error {
  override name = 'SocketInUseError';
}

export interface LocalSocket {
  readonly path: string;
  /** Stops listening and removes the socket file, if it is still this one. */
  close(): Promise<void>;
}

/**
 * Listens on `file` with `attach` given the server to route upgrades from. A socket
 * file that nothing answers on (its server was killed) is replaced; one that answers is
 * another server's, and is left alone, as is anything there that is not a socket.
 * Throws an Error whose message says why it cannot listen.
 */
export async function listenLocally(file: string, attach: (server: Server) => void): Promise<LocalSocket> {
  if (Buffer.byteLength(file) > MAX_PATH_BYTES) throw new Error(`the path is longer than the ${MAX_PATH_BYTES} bytes a Unix socket's may have`);
  const found = await fs.lstat(file).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (found && !found.isSocket()) throw new Error('something that is not a socket is in its place');
  if (found && (await socketAnswers(file))) throw new SocketInUseError('another nascast server answers on it');
  if (found) await fs.rm(file, { force: true });

  const server = http.createServer((_request, response) => response.writeHead(404, { connection: 'close' }).end());
  attach(server);
  const listening = new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // The socket is made with the process's umask: tighten it for the bind, so that it is
  // never open to others, even for the moment before the chmod below.
  const umask = process.umask(0o177);
  try {
    server.listen(file);
  } finally {
    process.umask(umask);
  }
  await listening;
  server.on('error', () => {}); // after listening, nothing on a local socket may crash the server
  await fs.chmod(file, 0o600);
  const { ino } = await fs.lstat(file);
  return {
    path: file,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      // Only ours: a file of the same name put there since is another server's.
      const now = await fs.lstat(file).catch(() => undefined);
      if (now?.ino === ino) await fs.rm(file, { force: true });
    },
  };
}

/** Whether something accepts connections on the socket `file` now. */
export function socketAnswers(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: file });
    const done = (answers: boolean): void => {
      socket.destroy();
      resolve(answers);
    };
    socket.setTimeout(PROBE_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
