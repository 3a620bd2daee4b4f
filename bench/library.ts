// Library benchmark: scan time and memory per entry for a tree of 100,000 files.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { formatTable } from './http.ts';

const FILES = 100_000;
const PER_FOLDER = 100;

export function benchLibrary(work: string): { table: string; checks: Array<{ target: string; value: string; ok: boolean }> } {
  const root = writeBenchTree(work);
  // In a child with --expose-gc, so heap figures are after a full collection.
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'library-child.ts');
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, ['--expose-gc', script, root], { encoding: 'utf8' })) as {
    files: number;
    scanMs: number;
    heapBytes: number;
    rssBytes: number;
  });
  const best = runs.sort((a, b) => a.scanMs - b.scanMs)[0]!;
  const perEntry = best.heapBytes / best.files;
  const rows = [
    ['library (in memory, no index file)', 'files', 'scan ms (best of 3)', 'files/s', 'heap MiB', 'heap bytes/entry', 'RSS MiB'],
    ['100,000 files in 1,000 folders', String(best.files), best.scanMs.toFixed(0), ((best.files / best.scanMs) * 1000).toFixed(0), (best.heapBytes / 1024 / 1024).toFixed(1), perEntry.toFixed(0), (best.rssBytes / 1024 / 1024).toFixed(0)],
  ];
  return {
    table: formatTable(rows),
    checks: [{ target: 'library heap ≤ 231 bytes per entry (the figure before the index, probing and search)', value: `${perEntry.toFixed(0)} B`, ok: perEntry <= 231 }],
  };
}

/** The bench's tree, `<work>/library`: 100,000 empty media files in 1,000 folders (made once per run). */
export function writeBenchTree(work: string): string {
  const root = path.join(work, 'library');
  if (fs.existsSync(root)) return root;
  const names = ['Episode', 'Track', 'Clip', 'Photo'];
  const extensions = ['mkv', 'mp3', 'mp4', 'jpg'];
  for (let folder = 0; folder < FILES / PER_FOLDER; folder++) {
    const dir = path.join(root, `Series ${Math.floor(folder / 10)}`, `Season ${folder % 10}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let file = 0; file < PER_FOLDER; file++) {
      const kind = file % 4;
      fs.writeFileSync(path.join(dir, `${names[kind]} ${file}.${extensions[kind]}`), '');
    }
  }
  return root;
}
