// Scans one tree and prints time and retained heap (run with --expose-gc).
import { MediaLibrary } from '../src/library/library.ts';

const gc = (globalThis as { gc?: () => void }).gc!;
const root = process.argv[2]!;
gc();
const before = process.memoryUsage().heapUsed;
const library = new MediaLibrary({ roots: [{ name: 'Bench', path: root }], key: Buffer.alloc(32, 1), watch: false, rescanInterval: 0 });
const start = performance.now();
await library.start();
const scanMs = performance.now() - start;
// Search catches up and the prober finishes (these are empty files) before memory is read.
await library.settled();
while (library.probing()?.running) await new Promise((resolve) => setTimeout(resolve, 50));
gc();
const heapBytes = process.memoryUsage().heapUsed - before;
console.log(JSON.stringify({ files: library.size, scanMs, heapBytes, rssBytes: process.memoryUsage().rss }));
await library.close();
