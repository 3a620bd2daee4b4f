// The keyframe times of a file's video, which a remux's segments must start at: from
// an MKV's or an MP4/MOV's index at once, else (AVI, MPEG-TS) from ffprobe's list of
// packets, which reads the whole file: kept, per file version, for the next play and seek.
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import { ConversionError } from '../errors.ts';
import { matroskaKeyframes } from './matroska-cues.ts';
import { mp4Keyframes } from './mp4-keyframes.ts';
import { spawnOnFile } from './spawn-on-file.ts';

/** Options of {@link KeyframeLists}. */
export interface KeyframeOptions {
  readonly ffprobePath?: string;
  /** ffprobe is given up after this long. Default 120 000 ms. */
  readonly timeoutMs?: number;
}

/** A film has a few thousand; more is not a file we can segment sensibly. */
const MAX_KEYFRAMES = 200_000;
const CACHED_FILES = 32;

/** The keyframe lists of recently played files, each found once. */
export class KeyframeLists {
  readonly #options: KeyframeOptions;
  readonly #cache = new Map<string, Promise<number[]>>();

  constructor(options: KeyframeOptions = {}) {
    this.#options = options;
  }

  /**
   * The video keyframe times of the file at `file` (a path or its bytes), seconds from
   * the file's start time, in order. `name` is how the file is named in errors.
   */
  async of(file: string | Buffer, name: string): Promise<number[]> {
    const handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    let key: string;
    try {
      const stats = await handle.stat();
      key = `${file.toString('hex')}:${stats.size}:${stats.mtimeMs}`;
      const cached = this.#cache.get(key);
      if (cached) {
        this.#cache.delete(key);
        this.#cache.set(key, cached);
        return await cached;
      }
      const fromIndex = (await matroskaKeyframes(handle).catch(() => undefined)) ?? (await mp4Keyframes(handle).catch(() => undefined));
      if (fromIndex) return await this.#keep(key, Promise.resolve(fromIndex));
    } finally {
      await handle.close();
    }
    return this.#keep(key, scanKeyframes(file, name, this.#options));
  }

  #keep(key: string, list: Promise<number[]>): Promise<number[]> {
    this.#cache.set(key, list);
    list.catch(() => this.#cache.delete(key));
    while (this.#cache.size > CACHED_FILES) this.#cache.delete(this.#cache.keys().next().value!);
    return list;
  }
}

/** Every video keyframe by ffprobe's packet list (`K` flag), relative to the container's start time. */
async function scanKeyframes(file: string | Buffer, name: string, options: KeyframeOptions): Promise<number[]> {
  const program = options.ffprobePath ?? 'ffprobe';
  const timeoutMs = options.timeoutMs ?? 120_000;
  const child = await spawnOnFile('ffprobe', program, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'format=start_time:packet=pts_time,flags', '-of', 'csv=p=0', '/dev/fd/3'], file, { stdout: 'pipe', stderr: 'ignore' });
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    let start = 0;
    let partial = '';
    let failure: Error | undefined;
    const deadline = setTimeout(() => {
      failure = new ConversionError(name, `listing its keyframes took more than ${timeoutMs / 1000} s`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout!.setEncoding('latin1');
    child.stdout!.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        const [time, flags] = line.split(',');
        if (flags === undefined) start = Number(time) || 0;
        else if (flags.startsWith('K') && Number.isFinite(Number(time)) && times.length < MAX_KEYFRAMES) times.push(Number(time));
      }
    });
    child.on('error', (error) => {
      failure = error;
    });
    child.on('close', (code) => {
      clearTimeout(deadline);
      if (failure) return reject(failure);
      if (code !== 0 || times.length === 0) return reject(new ConversionError(name, code !== 0 ? `ffprobe could not list its keyframes (exit ${code})` : 'it has no video keyframes'));
      resolve(times.map((time) => Math.max(0, time - start)).sort((a, b) => a - b));
    });
  });
}
