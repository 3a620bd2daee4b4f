// One ffmpeg process of a stream: from one segment on, its fragments gathered into the
// plan's segments. Paused (its pipe left unread, so ffmpeg blocks on its write) when
// it is far enough ahead of what the device fetched.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { ConversionError } from '../errors.ts';
import { ffmpegArgs, type RunRequest } from './ffmpeg-args.ts';
import { Fmp4Fragments, type Fragment } from './fmp4-fragments.ts';
import { segmentAt } from './segment-plan.ts';
import { spawnOnFile } from './spawn-on-file.ts';

/** Events of a {@link ConversionRun}. */
export interface ConversionRunEvents {
  init: [init: Buffer];
  /** Segment `index` is whole. */
  segment: [index: number, bytes: Buffer];
  /** ffmpeg ended: after the last segment, killed, or failed (`error` first). */
  end: [];
  error: [error: Error];
}

// A fragment that starts this close before a segment's start belongs to that segment:
// a keyframe's decode time is a little before the time it shows.
const TOLERANCE = 0.1;

/** One ffmpeg run. Emits `init`, `segment` (in order), then `end`; `error` before `end` when ffmpeg failed. */
export class ConversionRun extends EventEmitter<ConversionRunEvents> {
  /** The segment it starts at. */
  readonly from: number;
  /** The segment it is making now (the next to be emitted). */
  making: number;
  readonly #request: RunRequest;
  readonly #name: string;
  #child: ChildProcess | undefined;
  #current: Buffer[] = [];
  #stderr = '';
  #stopped = false;
  #ended = false;

  constructor(request: RunRequest, name: string) {
    super();
    this.#request = request;
    this.#name = name;
    this.from = request.from;
    this.making = request.from;
  }

  /** Whether ffmpeg has ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Starts ffmpeg on `file` (a path or its bytes). Rejects when the file cannot be opened or ffmpeg cannot be run. */
  async start(file: string | Buffer, ffmpegPath = 'ffmpeg'): Promise<void> {
    let child: ChildProcess;
    try {
      child = await spawnOnFile('ffmpeg', ffmpegPath, ffmpegArgs(this.#request), file, { stdout: 'pipe', stderr: 'pipe' });
    } catch (error) {
      // Never started (the file is gone, ffmpeg cannot be run): it has ended, as one that failed.
      this.#ended = true;
      this.emit('end');
      throw error;
    }
    this.#child = child;
    // Stopped while it was starting (a seek right after a seek): it goes at once.
    if (this.#stopped) child.kill('SIGKILL');
    try {
      os.setPriority(child.pid!, 5);
    } catch {
      // Not allowed here: it runs at normal priority.
    }
    const fragments = new Fmp4Fragments(this.#name, (init) => this.emit('init', init), (fragment) => this.#fragment(fragment));
    child.stdout!.on('data', (chunk: Buffer) => {
      try {
        fragments.push(chunk);
      } catch (error) {
        this.#fail(error as Error);
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      if (this.#stderr.length < 4096) this.#stderr += chunk;
    });
    child.on('error', (error) => this.#fail(error));
    child.on('close', (code, signal) => {
      if (!this.#stopped && code === 0 && this.#current.length > 0) this.emit('segment', this.making, Buffer.concat(this.#current));
      if (!this.#stopped && code !== 0) this.#fail(new ConversionError(this.#name, this.#why(code, signal)));
      this.#current = [];
      this.#ended = true;
      this.emit('end');
    });
  }

  /** Whether its output is left unread (far enough ahead of the fetches). */
  paused = false;

  /** Stops reading ffmpeg's output: it stops at its next write. */
  pause(): void {
    this.paused = true;
    this.#child?.stdout?.pause();
  }

  resume(): void {
    this.paused = false;
    this.#child?.stdout?.resume();
  }

  /** Kills ffmpeg; `end` follows (no `error`). */
  stop(): void {
    this.#stopped = true;
    this.#child?.stdout?.resume(); // a paused pipe would hold a killed process's last write
    this.#child?.kill('SIGKILL');
  }

  #fragment(fragment: Fragment): void {
    if (this.#stopped) return;
    const index = segmentAt(this.#request.segments, fragment.time + TOLERANCE);
    // Before where this run starts (the seek landed a keyframe early): another segment's.
    if (index < this.making && this.#current.length === 0) return;
    if (index > this.making) this.#emitCurrent(index);
    this.#current.push(fragment.bytes);
    // Whole when it reaches the next segment's start: sent now, not when the next fragment (a GOP more of encoding) comes.
    const next = this.#request.segments.starts[this.making + 1];
    if (next !== undefined && fragment.end >= next - TOLERANCE) this.#emitCurrent(this.making + 1);
  }

  #emitCurrent(next: number): void {
    if (this.#current.length > 0) this.emit('segment', this.making, Buffer.concat(this.#current));
    this.#current = [];
    this.making = next;
  }

  #fail(error: Error): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#child?.kill('SIGKILL');
    this.emit('error', error);
  }

  #why(code: number | null, signal: NodeJS.Signals | null): string {
    const line = this.#stderr.split('\n').map((entry) => entry.trim()).filter(Boolean).at(-1)?.replace('/dev/fd/3: ', '').slice(0, 300);
    return `ffmpeg ${code === null ? `was stopped by ${signal ?? 'a signal'}` : `exited with code ${code}`}${line ? `: ${line}` : ''}`;
  }
}
