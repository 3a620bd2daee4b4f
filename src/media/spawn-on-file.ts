// ffmpeg and ffprobe run on a file NasCast opened, passed as their descriptor 3
// (`/dev/fd/3`), as the prober does: a name that is not UTF-8 cannot travel in argv,
// and no path in argv can be made to point somewhere else.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import { missingProgram } from '../library/ffprobe-run.ts';

/** What the child's stdout and stderr are. */
type Output = 'pipe' | 'ignore';

/**
 * Starts `program` with `file` (a path or its bytes) as descriptor 3; resolves once it
 * runs. Rejects with `FfmpegMissingError` when it cannot be run, the file system's
 * error when the file cannot be opened.
 */
export async function spawnOnFile(program: 'ffmpeg' | 'ffprobe', path: string, args: readonly string[], file: string | Buffer, output: { stdout: Output; stderr: Output }): Promise<ChildProcess> {
  const handle = await fs.open(file, constants.O_RDONLY);
  let child: ChildProcess;
  let spawned: Promise<void>;
  try {
    child = spawn(path, args, { stdio: ['ignore', output.stdout, output.stderr, handle.fd] });
    // Listened to at once: `spawn` and `error` come on the next tick, before the close below is done.
    spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) => reject(missingProgram(error, path, program) ?? error));
    });
  } finally {
    await handle.close(); // the child has its own copy
  }
  await spawned;
  return child;
}
