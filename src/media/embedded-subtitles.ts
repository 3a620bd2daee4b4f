// Text subtitles inside a media file (SRT, ASS/SSA, mov_text, WebVTT in an MKV or MP4),
// as WebVTT a device can fetch beside the stream. ffmpeg reads the whole file to find a
// stream's packets, so every text stream of a file is extracted in the same pass, once,
// and kept (in memory, bounded) for the next request and the next play.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConversionError } from '../errors.ts';
import { spawnOnFile } from './spawn-on-file.ts';

/** Options of {@link EmbeddedSubtitles}. */
export interface EmbeddedSubtitlesOptions {
  readonly ffmpegPath?: string;
  /** The whole pass is given up after this long. Default 120 000 ms. */
  readonly timeoutMs?: number;
  /** Bytes of WebVTT kept, all files together. Default 16 MiB. */
  readonly maxBytes?: number;
}

/** A subtitle track bigger than this is not subtitles. */
const MAX_TRACK_BYTES = 8 * 1024 * 1024;

/** Extracts and keeps the embedded text subtitles of played files. */
export class EmbeddedSubtitles {
  readonly #options: EmbeddedSubtitlesOptions;
  // By file version (path, size, mtime): its streams' WebVTT, or the pass making them.
  readonly #files = new Map<string, Promise<Map<number, Buffer>>>();
  #bytes = 0;

  constructor(options: EmbeddedSubtitlesOptions = {}) {
    this.#options = options;
  }

  /**
   * The WebVTT of stream `stream` of the file (one of `streams`, its text subtitle
   * streams, all extracted together). `version` tells a changed file from the one kept.
   */
  async webVtt(file: string | Buffer, name: string, version: string, stream: number, streams: readonly number[]): Promise<Buffer> {
    if (!streams.includes(stream)) throw new ConversionError(name, `it has no text subtitle stream ${stream}`);
    const key = `${file.toString()}\u0000${version}`;
    let pass = this.#files.get(key);
    if (pass) {
      this.#files.delete(key);
      this.#files.set(key, pass);
    } else {
      pass = this.#extract(file, name, streams);
      this.#files.set(key, pass);
      pass.then(
        (tracks) => this.#account(key, tracks),
        () => this.#files.delete(key),
      );
    }
    const found = (await pass).get(stream);
    if (!found) throw new ConversionError(name, `its subtitle stream ${stream} could not be read`);
    return found;
  }

  #account(key: string, tracks: Map<number, Buffer>): void {
    this.#bytes += [...tracks.values()].reduce((sum, track) => sum + track.length, 0);
    const cap = this.#options.maxBytes ?? 16 * 1024 * 1024;
    for (const [other, pass] of this.#files) {
      if (this.#bytes <= cap || other === key) continue;
      this.#files.delete(other);
      void pass.then((dropped) => (this.#bytes -= [...dropped.values()].reduce((sum, track) => sum + track.length, 0)));
    }
  }

  async #extract(file: string | Buffer, name: string, streams: readonly number[]): Promise<Map<number, Buffer>> {
    const program = this.#options.ffmpegPath ?? 'ffmpeg';
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nascast-subtitles-'));
    try {
      const outputs = streams.flatMap((stream) => ['-map', `0:${stream}`, '-c:s', 'webvtt', '-f', 'webvtt', path.join(dir, `${stream}.vtt`)]);
      await runFfmpeg(program, ['-hide_banner', '-nostdin', '-v', 'error', '-i', '/dev/fd/3', ...outputs], file, name, this.#options.timeoutMs ?? 120_000);
      const tracks = new Map<number, Buffer>();
      for (const stream of streams) {
        const file = path.join(dir, `${stream}.vtt`);
        const size = await fs.stat(file).then((stats) => stats.size, () => Infinity);
        if (size <= MAX_TRACK_BYTES) tracks.set(stream, await fs.readFile(file));
      }
      return tracks;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
}

/** Runs ffmpeg on the file (its descriptor 3) to completion, within a deadline. */
async function runFfmpeg(program: string, args: readonly string[], file: string | Buffer, name: string, timeoutMs: number): Promise<void> {
  const child = await spawnOnFile('ffmpeg', program, args, file, { stdout: 'ignore', stderr: 'pipe' });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    child.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      if (code === 0) return resolve();
      const line = stderr.split('\n').map((entry) => entry.trim()).filter(Boolean).at(-1)?.slice(0, 300);
      reject(new ConversionError(name, signal ? `reading its subtitles took more than ${timeoutMs / 1000} s` : `ffmpeg could not read its subtitles (exit ${code})${line ? `: ${line}` : ''}`));
    });
  });
}
