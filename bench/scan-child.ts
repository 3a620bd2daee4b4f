// One library start, timed: `cold` (a scan, no index), `first` (a scan written to a
// new index), `warm` (a restart from that index: until the library is listed); or
// `walk`, the bare synchronous walk the scan is made of, to show what the library adds.
import fs from 'node:fs';
import { MediaLibrary } from '../src/library/library.ts';

const [root, mode, storage] = process.argv.slice(2) as [string, 'cold' | 'first' | 'warm' | 'walk', string];
if (mode === 'walk') {
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  let files = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(full);
      else if (fs.statSync(full, { throwIfNoEntry: false })) files++;
    }
  };
  walk(root);
  const cpu = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ files, ms: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000, worstLagMs: 0 }));
  process.exit(0);
}
const library = new MediaLibrary({
  roots: [{ name: 'Bench', path: root }],
  key: Buffer.alloc(32, 1),
  watch: false,
  rescanInterval: 0,
  logger: { debug() {}, info() {}, warn: console.error, error: console.error },
  ...(mode === 'cold' ? {} : { storage }),
});
// The longest the event loop waited while the library started: what a cast or an HTTP request would.
let last = performance.now();
let worstLagMs = 0;
const ticker = setInterval(() => {
  const now = performance.now();
  worstLagMs = Math.max(worstLagMs, now - last);
  last = now;
}, 1);
const start = performance.now();
const cpuBefore = process.cpuUsage();
await library.start();
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
clearInterval(ticker);
const files = library.size;
await library.close(); // after a warm start, this waits for the check against the disk
console.log(JSON.stringify({ files, ms, cpuMs, worstLagMs }));
