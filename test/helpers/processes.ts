import fs from 'node:fs';

/** This process's children (of program `name`, when given), from /proc: running `ps` would be one of them. */
export function childProcesses(name?: string): number {
  const ours = (pid: string): boolean => {
    try {
      if (name !== undefined && fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== name) return false;
      return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1] === String(process.pid);
    } catch {
      return false; // gone while we looked
    }
  };
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && ours(entry)).length;
}
