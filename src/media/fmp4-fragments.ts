// Splits ffmpeg's fragmented MP4 (`-movflags +frag_keyframe+empty_moov+…`) as it
// streams out of the pipe: the init segment (ftyp + moov) once, then each fragment
// (moof + mdat) with the time it starts at. Written by hand because it is a dozen box
// headers and not a parser: no MP4 library reads a live pipe fragment by fragment, and
// ffmpeg's own HLS muxer cuts remuxed video where its running clock says, not at the
// keyframes a playlist made up front lists (it drifts after a restart).
import { ConversionError } from '../errors.ts';

/** One moof + mdat: the times its main track starts and ends at, in seconds, and its bytes. */
export interface Fragment {
  readonly time: number;
  readonly end: number;
  readonly bytes: Buffer;
}

/** A box bigger than this is not something ffmpeg wrote for a segment. */
const MAX_BOX = 256 * 1024 * 1024;
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'moof', 'traf']);

interface Track {
  id: number;
  timescale: number;
  handler: string;
}

/**
 * Feed it the pipe's chunks; it calls back with the init segment and each complete
 * fragment. A negative decode time (AAC's encoder delay before the first frame) is
 * written as 0: a player would read the unsigned field as 584 million years.
 */
export class Fmp4Fragments {
  readonly #onInit: (init: Buffer) => void;
  readonly #onFragment: (fragment: Fragment) => void;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #init: Buffer[] = [];
  #tracks: Track[] = [];
  #moof: Buffer | undefined;

  readonly #file: string;

  constructor(file: string, onInit: (init: Buffer) => void, onFragment: (fragment: Fragment) => void) {
    this.#file = file;
    this.#onInit = onInit;
    this.#onFragment = onFragment;
  }

  /** Takes the next bytes of the stream; throws on a stream that is not fragmented MP4. */
  push(chunk: Buffer): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    for (;;) {
      if (this.#pendingBytes < 8) return;
      const head = this.#peek(16);
      let size = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      if (size === 1) {
        if (head.length < 16) return;
        size = Number(head.readBigUInt64BE(8));
      }
      if (size < 8 || size > MAX_BOX) throw new ConversionError(this.#file, `ffmpeg wrote a ${type} box of ${size} bytes, which is not fragmented MP4`);
      if (this.#pendingBytes < size) return;
      this.#box(type, this.#take(size));
    }
  }

  #box(type: string, box: Buffer): void {
    if (type === 'ftyp') this.#init.push(box);
    else if (type === 'moov') {
      this.#init.push(box);
      this.#tracks = tracksOf(box);
      this.#onInit(Buffer.concat(this.#init));
    } else if (type === 'moof') this.#moof = box;
    else if (type === 'mdat' && this.#moof) {
      const moof = this.#moof;
      this.#moof = undefined;
      this.#onFragment({ ...this.#timesOf(moof), bytes: Buffer.concat([moof, box]) });
    }
  }

  /** Where the fragment's video track (its audio's when it has no video) starts and ends, clamping negative decode times to 0 in place. */
  #timesOf(moof: Buffer): { time: number; end: number } {
    let times: { time: number; end: number } | undefined;
    let timesOfVideo = false;
    for (const traf of children(moof, 8, moof.length).filter((box) => box.type === 'traf')) {
      const parts = children(moof, traf.start + 8, traf.end);
      const tfhd = parts.find((box) => box.type === 'tfhd');
      const tfdt = parts.find((box) => box.type === 'tfdt');
      if (!tfhd || !tfdt) continue;
      const track = this.#tracks.find((candidate) => candidate.id === moof.readUInt32BE(tfhd.start + 12));
      const version = moof[tfdt.start + 8];
      let decodeTime = version === 1 ? moof.readBigInt64BE(tfdt.start + 12) : BigInt(moof.readUInt32BE(tfdt.start + 12));
      if (decodeTime < 0n) {
        decodeTime = 0n;
        moof.writeBigInt64BE(0n, tfdt.start + 12);
      }
      if (!track) continue;
      const isVideo = track.handler === 'vide';
      if (times === undefined || (isVideo && !timesOfVideo)) {
        const duration = durationOf(moof, tfhd, parts.filter((box) => box.type === 'trun'));
        times = { time: Number(decodeTime) / track.timescale, end: (Number(decodeTime) + duration) / track.timescale };
        timesOfVideo = isVideo;
      }
    }
    return times ?? { time: 0, end: 0 };
  }

  #peek(bytes: number): Buffer {
    if (this.#pending[0]!.length >= bytes || this.#pending.length === 1) return this.#pending[0]!.subarray(0, bytes);
    return Buffer.concat(this.#pending).subarray(0, bytes);
  }

  #take(bytes: number): Buffer {
    const all = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
    const rest = all.subarray(bytes);
    this.#pending = rest.length > 0 ? [rest] : [];
    this.#pendingBytes = rest.length;
    // A copy: the fragment outlives the chunk it was cut from, which holds the next one too.
    return Buffer.from(all.subarray(0, bytes));
  }
}

interface BoxAt {
  type: string;
  start: number;
  end: number;
}

function children(buffer: Buffer, from: number, to: number): BoxAt[] {
  const boxes: BoxAt[] = [];
  for (let at = from; at + 8 <= to; ) {
    const size = buffer.readUInt32BE(at);
    if (size < 8 || at + size > to) break;
    boxes.push({ type: buffer.toString('latin1', at + 4, at + 8), start: at, end: at + size });
    at += size;
  }
  return boxes;
}

/** The sum of a track fragment's sample durations, in its timescale: each sample's, or the tfhd's default. */
function durationOf(moof: Buffer, tfhd: BoxAt, truns: readonly BoxAt[]): number {
  const tfhdFlags = moof.readUInt32BE(tfhd.start + 8) & 0xffffff;
  let at = tfhd.start + 16 + (tfhdFlags & 0x1 ? 8 : 0) + (tfhdFlags & 0x2 ? 4 : 0);
  const fallback = tfhdFlags & 0x8 ? moof.readUInt32BE(at) : 0;
  let total = 0;
  for (const trun of truns) {
    const flags = moof.readUInt32BE(trun.start + 8) & 0xffffff;
    const count = moof.readUInt32BE(trun.start + 12);
    if (!(flags & 0x100)) {
      total += count * fallback;
      continue;
    }
    const fieldBytes = 4 * [0x100, 0x200, 0x400, 0x800].filter((bit) => flags & bit).length;
    at = trun.start + 16 + (flags & 0x1 ? 4 : 0) + (flags & 0x4 ? 4 : 0);
    for (let sample = 0; sample < count && at + 4 <= trun.end; sample++, at += fieldBytes) total += moof.readUInt32BE(at);
  }
  return total;
}

function tracksOf(moov: Buffer): Track[] {
  const tracks: Track[] = [];
  for (const trak of children(moov, 8, moov.length).filter((box) => box.type === 'trak')) {
    const track: Track = { id: 0, timescale: 1, handler: '' };
    const visit = (from: number, to: number): void => {
      for (const box of children(moov, from, to)) {
        if (CONTAINERS.has(box.type)) visit(box.start + 8, box.end);
        else if (box.type === 'tkhd') track.id = moov.readUInt32BE(box.start + (moov[box.start + 8] === 1 ? 28 : 20));
        else if (box.type === 'mdhd') track.timescale = moov.readUInt32BE(box.start + (moov[box.start + 8] === 1 ? 28 : 20)) || 1;
        else if (box.type === 'hdlr') track.handler = moov.toString('latin1', box.start + 16, box.start + 20);
      }
    };
    visit(trak.start + 8, trak.end);
    tracks.push(track);
  }
  return tracks;
}
