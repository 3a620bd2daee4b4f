// Starts a library over `<root>` with a fresh index and times its prober to the last file.
import fs from 'node:fs';
import os from 'node:os';
import { MediaLibrary } from '../src/library/library.ts';

const [root, storage] = process.argv.slice(2) as [string, string];
fs.rmSync(storage, { recursive: true, force: true });
const library = new MediaLibrary({ roots: [{ name: 'Bench', path: root }], key: Buffer.alloc(32, 1), watch: false, rescanInterval: 0, storage });
await library.start();
// From the end of the scan: the prober starts there, and the scan is benched elsewhere.
const begin = performance.now();
const concurrency = await new Promise<number>((resolve, reject) => {
  const timer = setInterval(() => {
    const progress = library.probing();
    if (!progress?.available) reject(new Error('ffprobe is missing'));
    if (progress && progress.probed >= progress.files) {
      clearInterval(timer);
      resolve(Math.min(2, Math.max(1, Math.floor(os.availableParallelism() / 2)))); // the prober's default
    }
  }, 5);
});
const ms = performance.now() - begin;
await library.close();
fs.rmSync(storage, { recursive: true, force: true });
console.log(JSON.stringify({ ms, concurrency }));
