import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';

/**
 * Writes an executable shell script and returns once it can be run. A script just
 * written can fail to start with ETXTBSY while a process forked elsewhere (another test,
 * at that moment) still holds the writing descriptor until its exec: it is run once, to a
 * quick exit that does nothing else, until it starts.
 */
export async function writeScript(file: string, body: string): Promise<void> {
  await fs.writeFile(file, `#!/bin/sh\n[ -n "$READY_CHECK" ] && exit 0\n${body}\n`, { mode: 0o755 });
  for (let attempt = 0; ; attempt++) {
    try {
      await promisify(execFile)(file, [], { env: { ...process.env, READY_CHECK: '1' } });
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ETXTBSY' || attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
