import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import { errnoCode, FfmpegMissingError, MediaProbeError } from '../errors.ts';
import { displayName, fromDiskBytes, fsPath } from './disk-names.ts';
import { record, text } from './ffprobe-json.ts';
import { mediaInfoFromFfprobe, type MediaInfo } from './media-info.ts';
import type { MediaKind } from './media-types.ts';

/** Options of {@link probeFile}. */
export interface ProbeOptions {
  /** The ffprobe to run. Default `ffprobe`, looked up in PATH. */
  readonly ffprobePath?: string | undefined;
  /** Killed and given up after this long. Default 30 000 ms. */
  readonly timeoutMs?: number | undefined;
  /** Killed and given up when its output passes this. Default 2 MiB. */
  readonly maxOutputBytes?: number | undefined;
  /** Kills the probe; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

const FFPROBE = 'ffprobe';
const ARGS = ['-v', 'error', '-hide_banner', '-print_format', 'json', '-show_error', '-show_format', '-show_streams'];
// EXIF is reported only in the first frame's tags, so that frame is decoded, at 1/8
// scale: measured 135 ms against 223 ms for a 12 MP JPEG, with the stream's size unchanged.
const IMAGE_ARGS = ['-show_entries', 'frame_tags=Orientation,DateTimeOriginal,DateTimeDigitized', '-read_intervals', '%+#1', '-lowres', '3'];
// ffprobe reads the descriptor the parent opened: names that are not UTF-8 cannot
// travel in argv, and this stays seekable (an MP4's moov at the end is found).
const INPUT = '/dev/fd/3';
// On a hung NAS mount a killed process may not go until its read returns: past this, stop waiting for it.
const KILL_GRACE_MS = 1000;

/**
 * Probes one media file with ffprobe (at low CPU priority, within a deadline) and
 * reads what it found. `file` is a library path (see `fsPath`) or the name's bytes.
 * Rejects with {@link MediaProbeError} when ffprobe cannot read it (`reason` says
 * why), {@link FfmpegMissingError} when ffprobe cannot be run, the file system's
 * error when the file cannot be opened, and the signal's reason when aborted.
 */
export async function probeFile(file: string | Buffer, kind: MediaKind, options: ProbeOptions = {}): Promise<MediaInfo> {
  const name = displayName(typeof file === 'string' ? file : fromDiskBytes(file));
  const program = options.ffprobePath ?? FFPROBE;
  const timeoutMs = options.timeoutMs ?? 30_000;
  options.signal?.throwIfAborted();
  // Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
  const handle = await fs.open(typeof file === 'string' ? fsPath(file) : file, constants.O_RDONLY | constants.O_NONBLOCK);
  let running: Promise<Finished | { readonly failed: unknown }>;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new MediaProbeError(name, 'not a regular file');
    if (stats.size === 0) throw new MediaProbeError(name, 'empty file');
    const args = [...ARGS, ...(kind === 'image' ? IMAGE_ARGS : []), INPUT];
    // Caught at once: a spawn failure arrives while the descriptor is still being closed.
    running = run(program, args, { fd: handle.fd, timeoutMs, maxOutputBytes: options.maxOutputBytes ?? 2 * 1024 * 1024, signal: options.signal }).catch(
      (failed: unknown) => ({ failed }),
    );
  } finally {
    await handle.close(); // the child has its own copy from the moment spawn returns
  }
  const finished = await running;
  if ('failed' in finished) throw missingProgram(finished.failed, program) ?? finished.failed;
  if (finished.killedBecause) throw new MediaProbeError(name, finished.killedBecause, { timedOut: finished.timedOut });
  let json: unknown;
  try {
    json = JSON.parse(finished.stdout.toString('utf8'));
  } catch {
    json = undefined;
  }
  if (finished.code !== 0) throw new MediaProbeError(name, failure(finished, json));
  if (json === undefined) throw new MediaProbeError(name, 'ffprobe wrote something that is not JSON');
  const info = mediaInfoFromFfprobe(json, kind);
  if (info.video.length === 0 && info.audio.length === 0) throw new MediaProbeError(name, 'ffprobe found no audio or video in it');
  return info;
}

/**
 * The first line of `ffprobe -version` (`ffprobe version 5.1.6-0+deb12u1 …`), or
 * undefined when it cannot be run: to warn at start that ffmpeg is missing.
 */
export async function ffprobeVersion(ffprobePath: string = FFPROBE): Promise<string | undefined> {
  try {
    const finished = await run(ffprobePath, ['-version'], { timeoutMs: 5000, maxOutputBytes: 64 * 1024 });
    return finished.code === 0 ? text(finished.stdout.toString('utf8').split('\n', 1)[0]) : undefined;
  } catch {
    return undefined;
  }
}

/** Why ffprobe failed, in words: its own error report, else the first line it logged. */
function failure(finished: Finished, json: unknown): string {
  const reported = text(record(record(json)?.error)?.string);
  if (reported !== undefined) return `ffprobe found no media in it: ${reported}`;
  if (finished.code === null) return `ffprobe was stopped by ${finished.signal ?? 'a signal'}`;
  const line = finished.stderr.split('\n').map((entry) => text(entry.replace(`${INPUT}: `, ''))).find((entry) => entry !== undefined);
  return `ffprobe exited with code ${finished.code}${line === undefined ? '' : `: ${line}`}`;
}

/** The error for a program that cannot be run (not installed, not executable) at `path`; undefined for any other failure. */
export function missingProgram(error: unknown, path: string, program: 'ffmpeg' | 'ffprobe' = 'ffprobe'): FfmpegMissingError | undefined {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'EACCES' ? new FfmpegMissingError(path, program, { cause: error }) : undefined;
}

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  /** The start of what it logged. */
  readonly stderr: string;
  /** Set when we killed it: over time, or too much output. */
  readonly killedBecause?: string | undefined;
  /** Killed at the deadline (the file may be fine and the NAS slow). */
  readonly timedOut: boolean;
}

interface RunOptions {
  readonly fd?: number;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `program` without a shell, `fd` as its descriptor 3, at nice 10. Spawns
 * before returning (so the caller may close `fd`); settles once the process is
 * gone. Rejects with the spawn error, or the signal's reason when aborted.
 */
function run(program: string, args: readonly string[], options: RunOptions): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe', options.fd ?? 'ignore'] });
    try {
      if (child.pid !== undefined) os.setPriority(child.pid, 10);
    } catch {
      // Not allowed here (some containers): it runs at normal priority.
    }
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let [outBytes, errBytes] = [0, 0];
    let killedBecause: string | undefined;
    let timedOut = false;
    let grace: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(grace);
      options.signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const kill = (why: string): void => {
      if (killedBecause !== undefined) return;
      killedBecause = why;
      child.kill('SIGKILL');
      grace = setTimeout(() => finish(null, 'SIGKILL'), KILL_GRACE_MS);
    };
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (!settle()) return;
      if (options.signal?.aborted) return reject(options.signal.reason as Error);
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8'), killedBecause, timedOut });
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      kill(`ffprobe did not finish within ${options.timeoutMs / 1000} s`);
    }, options.timeoutMs);
    const onAbort = (): void => kill('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    child.stdout!.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > options.maxOutputBytes) return kill(`ffprobe wrote more than ${options.maxOutputBytes} bytes`);
      stdout.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      errBytes += chunk.length;
      if (errBytes > options.maxOutputBytes) return kill(`ffprobe logged more than ${options.maxOutputBytes} bytes`);
      if (errBytes <= 4096) stderr.push(chunk); // the first line is what is shown
    });
    child.on('error', (error) => {
      if (settle()) reject(error);
    });
    child.on('close', finish);
  });
}
