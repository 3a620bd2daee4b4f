// The keyframes of an MP4 or MOV from its index (the video track's sample tables in the
// moov box), read in a few small reads, where ffprobe reads the whole file to list them
// (a phone's MOV or an MP4 with AC3 is remuxed as often as an MKV). By hand for the
// reason matroska-cues.ts gives: six boxes of a table, no library reads them from a
// file handle without the media data.
import type { FileHandle } from 'node:fs/promises';

const MAX_MOOV = 64 * 1024 * 1024;
const MAX_SAMPLES = 20_000_000;

interface Box {
  type: string;
  start: number;
  end: number;
  header: number;
}

/**
 * The video keyframe times (seconds, as ffprobe's `pts_time`: the edit list's start
 * taken off) of an MP4/MOV, in order; undefined when it is not one or its index says none.
 */
export async function mp4Keyframes(handle: FileHandle): Promise<number[] | undefined> {
  const size = (await handle.stat()).size;
  let moov: Buffer | undefined;
  for (let at = 0, boxes = 0; at + 8 <= size && boxes < 64; boxes++) {
    const head = Buffer.alloc(16);
    await handle.read(head, 0, 16, at);
    let length = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    if (length === 1) length = Number(head.readBigUInt64BE(8));
    if (length === 0) length = size - at;
    if (length < 8 || !/^[\w ]{4}$/.test(type)) return undefined;
    if (type === 'moov') {
      if (length > MAX_MOOV) return undefined;
      moov = Buffer.alloc(length);
      await handle.read(moov, 0, length, at);
      break;
    }
    at += length;
  }
  if (!moov) return undefined;
  for (const trak of children(moov, box(moov, 0)).filter((child) => child.type === 'trak')) {
    const mdia = find(moov, trak, 'mdia');
    const hdlr = mdia && find(moov, mdia, 'hdlr');
    if (!mdia || !hdlr || moov.toString('latin1', hdlr.start + hdlr.header + 8, hdlr.start + hdlr.header + 12) !== 'vide') continue;
    return keyframesOf(moov, trak, mdia);
  }
  return undefined;
}

function keyframesOf(moov: Buffer, trak: Box, mdia: Box): number[] | undefined {
  const mdhd = find(moov, mdia, 'mdhd');
  const stbl = [find(moov, mdia, 'minf')].map((minf) => minf && find(moov, minf, 'stbl'))[0];
  if (!mdhd || !stbl) return undefined;
  const version = moov[mdhd.start + mdhd.header]!;
  const timescale = moov.readUInt32BE(mdhd.start + mdhd.header + (version === 1 ? 20 : 12));
  const stts = find(moov, stbl, 'stts');
  if (!timescale || !stts) return undefined;
  const stss = find(moov, stbl, 'stss');
  const ctts = find(moov, stbl, 'ctts');
  // Decode times, run by run of equal durations.
  const runs = entries(moov, stts, 8).map((at) => [moov.readUInt32BE(at), moov.readUInt32BE(at + 4)] as const);
  const count = runs.reduce((sum, [samples]) => sum + samples, 0);
  if (count > MAX_SAMPLES) return undefined;
  const sync = (stss ? entries(moov, stss, 4).map((at) => moov.readUInt32BE(at) - 1) : Array.from({ length: count }, (_, index) => index)).sort((a, b) => a - b);
  const offsets = ctts ? expand(moov, ctts, moov[ctts.start + ctts.header] === 1) : undefined;
  const shift = editShift(moov, trak);
  const times: number[] = [];
  let run = 0;
  let first = 0;
  let decode = 0;
  for (const sample of sync) {
    while (run < runs.length && sample >= first + runs[run]![0]) {
      decode += runs[run]![0] * runs[run]![1];
      first += runs[run]![0];
      run += 1;
    }
    if (run >= runs.length) break;
    const time = decode + (sample - first) * runs[run]![1] + (offsets?.(sample) ?? 0) - shift;
    times.push(Math.max(0, time / timescale));
  }
  return times.length > 0 ? times.sort((a, b) => a - b) : undefined;
}

/** The composition offset of each sample, from the ctts runs; asked in sample order, so it walks them once. */
function expand(moov: Buffer, ctts: Box, signed: boolean): (sample: number) => number {
  const runs = entries(moov, ctts, 8);
  let index = 0;
  let first = 0;
  return (sample) => {
    while (index < runs.length && sample >= first + moov.readUInt32BE(runs[index])) first += moov.readUInt32BE(runs[index++]);
    if (index >= runs.length) return 0;
    const at = runs[index]! + 4;
    return signed ? moov.readInt32BE(at) : moov.readUInt32BE(at);
  };
}

/** Where the edit list starts the media (its first non-empty edit's media time), in the track's timescale. */
function editShift(moov: Buffer, trak: Box): number {
  const edts = find(moov, trak, 'edts');
  const elst = edts && find(moov, edts, 'elst');
  if (!elst) return 0;
  const version = moov[elst.start + elst.header]!;
  for (const at of entries(moov, elst, version === 1 ? 20 : 12)) {
    const mediaTime = version === 1 ? Number(moov.readBigInt64BE(at + 8)) : moov.readInt32BE(at + 4);
    if (mediaTime >= 0) return mediaTime;
  }
  return 0;
}

/** The offsets of a full box's entries (after version, flags and the count). */
function entries(moov: Buffer, table: Box, size: number): number[] {
  const start = table.start + table.header + 8;
  const count = Math.min(moov.readUInt32BE(table.start + table.header + 4), Math.floor((table.end - start) / size));
  return Array.from({ length: count }, (_, index) => start + index * size);
}

function box(buffer: Buffer, at: number): Box {
  let length = buffer.readUInt32BE(at);
  let header = 8;
  if (length === 1) {
    length = Number(buffer.readBigUInt64BE(at + 8));
    header = 16;
  }
  return { type: buffer.toString('latin1', at + 4, at + 8), start: at, end: Math.min(buffer.length, at + (length || buffer.length - at)), header };
}

function children(buffer: Buffer, parent: Box): Box[] {
  const found: Box[] = [];
  for (let at = parent.start + parent.header; at + 8 <= parent.end; ) {
    const child = box(buffer, at);
    if (child.end <= at) break;
    found.push(child);
    at = child.end;
  }
  return found;
}

function find(buffer: Buffer, parent: Box, type: string): Box | undefined {
  return children(buffer, parent).find((child) => child.type === type);
}
