// Library scan benchmark: the cold scan of 100,000 files against `find` on the same
// tree in the same run, the first start that writes the index, and the restart from it.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { formatTable } from './http.ts';
import { writeBenchTree } from './library.ts';
import { median } from './tools.ts';

interface Start {
  files: number;
  ms: number;
  /** CPU time of the start (all threads): steadier than wall time on a busy machine. */
  cpuMs: number;
  worstLagMs: number;
}

const ROUNDS = 3;

export function benchScan(work: string): { table: string; checks: Array<{ target: string; value: string; ok: boolean }> } {
  const root = writeBenchTree(work);
  const storage = path.join(work, 'scan-storage');
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'scan-child.ts');
  const start = (mode: string): Start => JSON.parse(execFileSync(process.execPath, [script, root, mode, storage], { encoding: 'utf8' })) as Start;
  // Bash's `times` gives find's CPU time (user and system) beside the wall time.
  const find = (): { ms: number; cpuMs: number } => {
    const begin = performance.now();
    const result = spawnSync('bash', ['-c', 'find "$0" -printf \'%s %T@ %p\\n\' >/dev/null && times', root], { encoding: 'utf8' });
    const ms = performance.now() - begin;
    if (result.status !== 0) throw new Error(`find failed: ${result.stderr}`);
    const children = result.stdout.trim().split('\n')[1] ?? '';
    const cpuMs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, match) => sum + (Number(match[1]) * 60 + Number(match[2])) * 1000, 0);
    return { ms, cpuMs };
  };
  find(); // the page cache warm for both
  const finds: Array<{ ms: number; cpuMs: number }> = [];
  const walks: Start[] = [];
  const colds: Start[] = [];
  const firsts: Start[] = [];
  const warms: Start[] = [];
  // Alternated round by round, so a busy moment of the machine hits both sides.
  for (let round = 0; round < ROUNDS; round++) {
    finds.push(find());
    walks.push(start('walk'));
    colds.push(start('cold'));
    fs.rmSync(storage, { recursive: true, force: true });
    firsts.push(start('first'));
    warms.push(start('warm'));
  }
  const findMs = median(finds.map((run) => run.ms));
  const findCpuMs = median(finds.map((run) => run.cpuMs));
  const coldMs = median(colds.map((run) => run.ms));
  const warmMs = median(warms.map((run) => run.ms));
  const ratio = coldMs / findMs;
  const walkRatio = median(walks.map((run) => run.ms)) / findMs;
  const row = (label: string, runs: Start[]): string[] => {
    const ms = median(runs.map((run) => run.ms));
    const cpuMs = median(runs.map((run) => run.cpuMs));
    const lag = median(runs.map((run) => run.worstLagMs));
    return [label, String(runs[0]!.files), ms.toFixed(0), (ms / findMs).toFixed(2), cpuMs.toFixed(0), (cpuMs / findCpuMs).toFixed(2), lag.toFixed(0)];
  };
  const rows = [
    ['library start, 100,000 files in 1,000 folders', 'files', `ms (median of ${ROUNDS})`, '× find', 'CPU ms', '× find CPU', 'worst loop lag ms'],
    ['find -printf "%s %T@ %p\\n" (reference)', '-', findMs.toFixed(0), '1.00', findCpuMs.toFixed(0), '1.00', '-'],
    row('bare walk: readdirSync + statSync, no library', walks),
    row('cold scan, no index', colds),
    row('first start, scan + index written', firsts),
    row('restart, listed from the index', warms),
  ];
  return {
    table: formatTable(rows),
    checks: [
      // ≤ 2× holds for the walk itself (the row above it); the library adds one keyed
      // HMAC per file for its ids (about a third of the scan's CPU, profiled) and the
      // natural-order sort, which find does not do. Issue 21 asks for ≤ 5×.
      { target: 'cold scan ≤ 5× find on the same tree (issue 21)', value: `${ratio.toFixed(2)}× (${coldMs.toFixed(0)} ms vs ${findMs.toFixed(0)} ms)`, ok: ratio <= 5 },
      { target: 'bare walk of the scan ≤ 2× find', value: `${walkRatio.toFixed(2)}×`, ok: walkRatio <= 2 },
      { target: 'restart with 100,000 files indexed: ready to browse ≤ 1 s', value: `${warmMs.toFixed(0)} ms`, ok: warmMs <= 1000 },
    ],
  };
}
