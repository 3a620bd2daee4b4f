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
gc();
const heapBytes = process.memoryUsage().heapUsed - before;
console.log(JSON.stringify({ files: library.size, scanMs, heapBytes }));
await library.close();
