// A file or folder of this machine named in `cast`: played by its library path through
// the server that serves it, or, with no server, served from this process, but only
// from a folder the user meant to share, never a system folder or a whole home scanned
// by surprise.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isMediaUrl, type MediaRootConfig, PathOutsideRootError } from '../api.ts';
import type { NotedRoot } from './server-file.ts';

/** The absolute path of a `cast` argument that names something on disk; undefined for a library path, id or URL. */
export async function localPath(argument: string): Promise<string | undefined> {
  if (isMediaUrl(argument)) return undefined;
  const absolute = path.resolve(argument);
  return (await fs.stat(absolute).catch(() => undefined)) ? absolute : undefined;
}

/** Roots with the real paths of their folders (as given, for one not there now). */
export function realRoots(roots: readonly MediaRootConfig[]): Promise<NotedRoot[]> {
  return Promise.all(roots.map(async (root) => ({ name: root.name, path: await fs.realpath(root.path).catch(() => path.resolve(root.path)) })));
}

/**
 * The library path of `absolute` in `roots` (`Films/Cartoons/Episode 1.mp4`, or a root's
 * name for the root itself), matched by the path as given and by its real path (a
 * symlink to a served file is that file).
 */
export async function libraryPathIn(absolute: string, roots: readonly NotedRoot[]): Promise<string | undefined> {
  const real = await fs.realpath(absolute).catch(() => absolute);
  for (const candidate of [absolute, real]) {
    for (const root of roots) {
      const relative = path.relative(root.path, candidate);
      if (relative === '') return root.name;
      if (!climbsOut(relative)) return `${root.name}/${relative.split(path.sep).join('/')}`;
    }
  }
  return undefined;
}

/** `Films (/mnt/nas/films), Music (/mnt/nas/music)`, for messages. */
export function describeRoots(roots: readonly NotedRoot[]): string {
  return roots.length === 0 ? 'none' : roots.map((root) => `${root.name} (${root.path})`).join(', ');
}

// Folders no one shares media from, and whose scan would read the system: refused with
// everything under them.
const SYSTEM_TREES = ['/etc', '/proc', '/sys', '/dev', '/boot', '/run', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/usr', '/var', '/snap', '/lost+found', '/System', '/Library', '/Applications', '/private/etc', '/private/var'];
// Folders whose whole tree is far more than one cast: refused themselves, not what is in them.
const TOO_BROAD = ['/', '/home', '/root', '/Users', '/mnt', '/media', '/srv', '/opt', '/tmp', '/Volumes'];

/**
 * With no server: the root to serve `argument` from (the folder itself, or a file's
 * folder) and its library path, or, inside a `--media` folder, that folder's path. Throws
 * `PathOutsideRootError` for a relative path whose `..` climbs out of the current folder
 * (a name built by a script, gone astray: an absolute path is taken as meant), a system
 * folder, or a folder as broad as `/`, a home or a mount point.
 */
export async function servedFromHere(argument: string, absolute: string, given: readonly MediaRootConfig[]): Promise<{ root?: MediaRootConfig; libraryPath: string }> {
  const inGiven = await libraryPathIn(absolute, await realRoots(given));
  if (inGiven !== undefined) return { libraryPath: inGiven };
  if (!path.isAbsolute(argument)) {
    const fromHere = path.relative(process.cwd(), absolute);
    if (climbsOut(fromHere)) {
      throw new PathOutsideRootError(`${argument} leads out of the current folder with '..': name it by its full path (${absolute}) if you mean it`);
    }
  }
  const real = await fs.realpath(absolute);
  const folder = (await fs.stat(real)).isDirectory() ? real : path.dirname(real);
  const temp = await fs.realpath(os.tmpdir()).catch(() => os.tmpdir());
  const system = SYSTEM_TREES.find((tree) => within(folder, tree));
  if (system && !within(folder, temp, { strictly: true })) {
    throw new PathOutsideRootError(`${argument} is in ${system}, a system folder, and NasCast serves only folders you mean to share: copy it to a media folder, or name its folder with --media if you mean to share that`);
  }
  const home = await fs.realpath(os.homedir()).catch(() => os.homedir());
  if (folder === home || folder === temp || TOO_BROAD.includes(folder)) {
    const what = folder === home ? `${folder} (your home folder)` : folder;
    throw new PathOutsideRootError(`casting ${argument} would serve all of ${what} and every folder in it: put it in a folder of its own, or name a media folder with --media`);
  }
  const name = path.basename(folder) || 'Media';
  return { root: { name, path: folder }, libraryPath: folder === real ? name : `${name}/${path.basename(real)}` };
}

function within(folder: string, tree: string, options: { strictly?: boolean } = {}): boolean {
  const relative = path.relative(tree, folder);
  if (relative === '') return !options.strictly;
  return !climbsOut(relative);
}

/** Whether a relative path (from path.relative) leads out of where it is relative to; a folder named `..x` does not. */
function climbsOut(relative: string): boolean {
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}
