import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { MediaLibrary, type MediaLibraryOptions } from '../../src/library/library.ts';
import type { MediaItem } from '../../src/library/model.ts';
import { MediaServer, type MediaServerOptions } from '../../src/http/server.ts';
import type { Secrets } from '../../src/secrets.ts';

/** Files to create: relative path → contents. */
export type FileTree = Record<string, string | Uint8Array>;

/** A temp folder that is removed when the test ends. */
export async function tempDir(t: ExecutionContext, prefix = 'nascast-test-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  t.teardown(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` under `root`, making folders as needed. */
export async function writeTree(root: string, files: FileTree): Promise<void> {
  for (const [relative, contents] of Object.entries(files)) {
    const file = path.join(root, relative);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, contents);
  }
}

/** Deterministic bytes, so a test can check any slice of a file. */
export function patternBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

export interface TestServer {
  readonly server: MediaServer;
  readonly library: MediaLibrary;
  readonly dir: string;
  readonly secrets: Secrets;
  /** `http://127.0.0.1:<port>` — where the test itself connects. */
  readonly origin: string;
  /** The media item at a path under the root (`Films/a.mp4`). */
  item(relative: string): MediaItem;
  /** Loopback URL path (with grant) of an item: what a device would fetch. */
  mediaPath(relative: string): string;
}

/**
 * A real library and media server on a free loopback port, over a temp folder
 * holding `files` as the root `Media`. Stopped and removed when the test ends.
 */
export async function startMediaServer(
  t: ExecutionContext,
  files: FileTree,
  options: { library?: Partial<MediaLibraryOptions>; server?: Partial<MediaServerOptions> } = {},
): Promise<TestServer> {
  const dir = await tempDir(t);
  await writeTree(dir, files);
  const secrets: Secrets = { token: randomBytes(24).toString('base64url'), signingKey: randomBytes(32) };
  // No prober unless a test asks: its ffprobe processes would race what a test counts
  // (descriptors, a cast of a file made broken on purpose to see the device's error).
  const library = new MediaLibrary({
    roots: [{ name: 'Media', path: dir }],
    key: secrets.signingKey,
    rescanInterval: 0,
    probe: false,
    ...options.library,
  });
  await library.start();
  t.teardown(() => library.close());
  const server = new MediaServer({ library, secrets, port: 0, host: '127.0.0.1', artworkDir: await tempDir(t, 'nascast-artwork-'), ...options.server });
  await server.start();
  t.teardown(() => server.stop());
  const origin = `http://127.0.0.1:${server.port}`;
  const item = (relative: string): MediaItem => {
    const found = library.folder(path.posix.dirname(`Media/${relative}`))?.items.find((entry) => entry.name === path.posix.basename(relative));
    if (!found) throw new Error(`no item ${relative} in the test library`);
    return found;
  };
  return {
    server,
    library,
    dir,
    secrets,
    origin,
    item,
    mediaPath: (relative) => {
      const url = new URL(server.mediaUrl(item(relative)));
      return url.pathname + url.search;
    },
  };
}

/** Resolves when `predicate` holds, polling on events of the loop; rejects after `ms`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
