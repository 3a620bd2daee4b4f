// Probe benchmark: the library's background prober over real media against a bare loop
// of ffprobe over the same files, in the same run (target: ≥ 0.8 × the loop's throughput).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { formatTable } from './http.ts';
import { median } from './tools.ts';

const COPIES = 8; // of each of the kinds below: 32 files
const ROUNDS = 3;

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

/** Real media of four kinds (video, video with two audio tracks, a tagged song, a photo), copied under distinct names. */
function writeProbeTree(work: string): string {
  const root = path.join(work, 'probe');
  if (fs.existsSync(root)) return root;
  fs.mkdirSync(root, { recursive: true });
  const made = path.join(work, 'probe-made');
  fs.mkdirSync(made, { recursive: true });
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-movflags', '+faststart', path.join(made, 'a.mp4')]);
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=duration=2', '-f', 'lavfi', '-i', 'sine=frequency=220:duration=2', '-map', '0', '-map', '1', '-map', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', path.join(made, 'b.mkv')]);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=2', '-metadata', 'title=Song', '-metadata', 'artist=Artist', '-c:a', 'libmp3lame', path.join(made, 'c.mp3')]);
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=1024x768:rate=1:duration=1', '-frames:v', '1', path.join(made, 'd.jpg')]);
  for (let copy = 0; copy < COPIES; copy++) {
    for (const name of ['a.mp4', 'b.mkv', 'c.mp3', 'd.jpg']) fs.copyFileSync(path.join(made, name), path.join(root, `${copy} ${name}`));
  }
  return root;
}

export function benchProbe(work: string): { table: string; checks: Array<{ target: string; value: string; ok: boolean }> } {
  const root = writeProbeTree(work);
  const files = fs.readdirSync(root).map((name) => path.join(root, name));
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'probe-child.ts');
  // The reference: what a shell loop does, one ffprobe after the other, with the same output asked for.
  const bareLoop = (): number => {
    const begin = performance.now();
    for (const file of files) execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { stdio: ['ignore', 'pipe', 'ignore'] });
    return performance.now() - begin;
  };
  const loops: number[] = [];
  const probers: Array<{ ms: number; concurrency: number }> = [];
  // Alternated, so a busy moment of the machine hits both.
  for (let round = 0; round < ROUNDS; round++) {
    loops.push(bareLoop());
    probers.push(JSON.parse(execFileSync(process.execPath, [script, root, path.join(work, `probe-storage-${round}`)], { encoding: 'utf8' })) as { ms: number; concurrency: number });
  }
  const loopMs = median(loops);
  const proberMs = median(probers.map((run) => run.ms));
  const ratio = loopMs / proberMs;
  const perSecond = (ms: number): string => ((files.length / ms) * 1000).toFixed(1);
  const rows = [
    ['probing (median of 3)', 'files', 'ms', 'files/s', 'throughput ratio'],
    ['bare loop of ffprobe (reference)', String(files.length), loopMs.toFixed(0), perSecond(loopMs), ''],
    [`library prober (${probers[0]!.concurrency} at a time, nice 10)`, String(files.length), proberMs.toFixed(0), perSecond(proberMs), ratio.toFixed(2)],
  ];
  return {
    table: formatTable(rows),
    checks: [{ target: 'probe throughput ≥ 0.8 × a bare loop of ffprobe over the same files', value: `${ratio.toFixed(2)} ×`, ok: ratio >= 0.8 }],
  };
}
