import { spawn } from 'node:child_process';

/** A stream as `ffprobe -show_streams` reports it (the fields the simulator reads). */
export interface ProbedStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  channels?: number;
  bit_rate?: string;
  duration?: string;
  disposition?: Record<string, number>;
}

/** `ffprobe -show_format -show_streams` output. */
export interface Probed {
  format?: { format_name?: string; duration?: string; size?: string };
  streams?: ProbedStream[];
}

/** How a run of ffprobe went: its report and the errors it logged on the way, or why there is none. */
export type FfprobeRun =
  | { ok: true; probed: Probed; errors: string[] }
  | { ok: false; kind: 'unreadable'; errors: string[] }
  | { ok: false; kind: 'failed'; why: string };

// Enough for the streams and format of any real file; a report past it is not one.
const MAX_STDOUT = 1 << 20;
const MAX_STDERR = 64 << 10;

/**
 * `ffprobe -v error -print_format json -show_format -show_streams <url>`, killed at
 * `timeoutMs`, on `signal`, or when its output passes a bound. Never throws.
 * `unreadable`: ffprobe ran and could not read the media (not media, truncated, unreachable);
 * `failed`: it could not run or finish (missing, killed), which says nothing of the media.
 */
export function ffprobe(path: string, url: string, options: { timeoutMs: number; signal: AbortSignal }): Promise<FfprobeRun> {
  return new Promise((resolve) => {
    const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-rw_timeout', String(options.timeoutMs * 1000), url];
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal, timeout: options.timeoutMs, killSignal: 'SIGKILL' });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let sizes = { out: 0, err: 0 };
    let overflow = false;
    const collect = (into: Buffer[], key: 'out' | 'err', max: number) => (chunk: Buffer) => {
      sizes = { ...sizes, [key]: sizes[key] + chunk.length };
      if (sizes[key] > max) {
        overflow = true;
        child.kill('SIGKILL');
        return;
      }
      into.push(chunk);
    };
    child.stdout.on('data', collect(stdout, 'out', MAX_STDOUT));
    child.stderr.on('data', collect(stderr, 'err', MAX_STDERR));
    child.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ ok: false, kind: 'failed', why: error.code === 'ENOENT' ? `no ffprobe at ${path}` : error.name === 'AbortError' ? 'cancelled' : error.message });
    });
    child.on('close', (code, signal) => {
      const errors = Buffer.concat(stderr).toString('utf8').split('\n').filter((line) => line.trim() !== '');
      if (overflow) return resolve({ ok: false, kind: 'failed', why: 'ffprobe said more than a media file has to say' });
      if (signal) return resolve({ ok: false, kind: 'failed', why: options.signal.aborted ? 'cancelled' : `ffprobe did not finish within ${options.timeoutMs} ms` });
      if (code !== 0) return resolve({ ok: false, kind: 'unreadable', errors });
      try {
        resolve({ ok: true, probed: JSON.parse(Buffer.concat(stdout).toString('utf8')) as Probed, errors });
      } catch {
        resolve({ ok: false, kind: 'failed', why: 'ffprobe wrote something that is not JSON' });
      }
    });
  });
}
