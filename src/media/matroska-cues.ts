// The keyframes of an MKV from its index (Cues), read in two small reads, where
// ffprobe would read the whole file to list them (measured: every byte of a 94 MB
// file; minutes for a film on a NAS). Jellyfin reads the Cues for the same reason.
// By hand because it is five element IDs of EBML; no kept npm library reads Cues
// from a file handle without streaming the whole file through it.
import type { FileHandle } from 'node:fs/promises';

const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const SEEK_HEAD = 0x114d9b74;
const SEEK = 0x4dbb;
const SEEK_ID = 0x53ab;
const SEEK_POSITION = 0x53ac;
const INFO = 0x1549a966;
const TIMESTAMP_SCALE = 0x2ad7b1;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const TRACK_NUMBER = 0xd7;
const TRACK_TYPE = 0x83;
const CUES = 0x1c53bb6b;
const CUE_POINT = 0xbb;
const CUE_TIME = 0xb3;
const CUE_TRACK_POSITIONS = 0xb7;
const CUE_TRACK = 0xf7;
const CLUSTER = 0x1f43b675;

const HEAD_BYTES = 256 * 1024;
const MAX_CUES_BYTES = 32 * 1024 * 1024;

interface Element {
  id: number;
  /** Where its data starts and ends (the end is the buffer's for an unknown size). */
  start: number;
  end: number;
}

/**
 * The video keyframe times (seconds) an MKV's Cues list, in order; undefined when the
 * file is not Matroska, has no Cues or its Cues have no video track's points.
 */
export async function matroskaKeyframes(handle: FileHandle): Promise<number[] | undefined> {
  const head = Buffer.alloc(HEAD_BYTES);
  const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
  const bytes = head.subarray(0, bytesRead);
  const top = elements(bytes, 0, bytes.length);
  if (top[0]?.id !== EBML) return undefined;
  const segment = top.find((element) => element.id === SEGMENT);
  if (!segment) return undefined;
  let scale = 1_000_000;
  let videoTrack: number | undefined;
  let cuesAt: number | undefined;
  for (const element of elements(bytes, segment.start, segment.end)) {
    if (element.id === CLUSTER) break;
    if (element.id === INFO) scale = uintChild(bytes, element, TIMESTAMP_SCALE) ?? scale;
    if (element.id === TRACKS) {
      const video = elements(bytes, element.start, element.end).find((entry) => entry.id === TRACK_ENTRY && uintChild(bytes, entry, TRACK_TYPE) === 1);
      if (video) videoTrack = uintChild(bytes, video, TRACK_NUMBER);
    }
    if (element.id === SEEK_HEAD) {
      for (const seek of elements(bytes, element.start, element.end).filter((entry) => entry.id === SEEK)) {
        const id = elements(bytes, seek.start, seek.end).find((entry) => entry.id === SEEK_ID);
        if (id && readUint(bytes, id.start, id.end) === CUES) cuesAt = uintChild(bytes, seek, SEEK_POSITION);
      }
    }
    if (element.id === CUES) return cueTimes(bytes, element, videoTrack, scale);
  }
  if (cuesAt === undefined || videoTrack === undefined) return undefined;
  const position = segment.start + cuesAt;
  const header = Buffer.alloc(16);
  const got = (await handle.read(header, 0, 16, position)).bytesRead;
  const cues = elements(header.subarray(0, got), 0, got, true)[0];
  if (cues?.id !== CUES) return undefined;
  const length = cues.end - cues.start;
  if (length <= 0 || length > MAX_CUES_BYTES) return undefined;
  const body = Buffer.alloc(length);
  const read = (await handle.read(body, 0, length, position + cues.start)).bytesRead;
  return cueTimes(body, { id: CUES, start: 0, end: read }, videoTrack, scale);
}

function cueTimes(bytes: Buffer, cues: Element, track: number | undefined, scale: number): number[] | undefined {
  const times: number[] = [];
  for (const point of elements(bytes, cues.start, cues.end)) {
    if (point.id !== CUE_POINT) continue;
    const parts = elements(bytes, point.start, point.end);
    const time = parts.find((part) => part.id === CUE_TIME);
    const forTrack = parts.some((part) => part.id === CUE_TRACK_POSITIONS && (track === undefined || uintChild(bytes, part, CUE_TRACK) === track));
    if (time && forTrack) times.push((readUint(bytes, time.start, time.end) * scale) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times.length > 0 ? times : undefined;
}

/** The elements between `from` and `to`, one cut off by `to` ending there; with `headerOnly`, the first one with the end its size declares. */
function elements(bytes: Buffer, from: number, to: number, headerOnly = false): Element[] {
  const found: Element[] = [];
  let at = from;
  while (at < to) {
    const id = vint(bytes, at, true);
    if (!id) break;
    const size = vint(bytes, at + id.length, false);
    if (!size) break;
    const start = at + id.length + size.length;
    const end = size.value === undefined ? to : start + size.value;
    found.push({ id: id.value!, start, end: headerOnly ? end : Math.min(end, to) });
    if (headerOnly) break;
    at = end;
  }
  return found;
}

/** An EBML variable-length integer: an ID keeps its marker bit; a size of all ones is unknown. */
function vint(bytes: Buffer, at: number, keepMarker: boolean): { value: number | undefined; length: number } | undefined {
  const first = bytes[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (length > 8 || at + length > bytes.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === (0xff >> length);
  for (let index = 1; index < length; index++) {
    value = value * 256 + bytes[at + index]!;
    allOnes &&= bytes[at + index] === 0xff;
  }
  return { value: !keepMarker && allOnes ? undefined : value, length };
}

function readUint(bytes: Buffer, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end && index < start + 8; index++) value = value * 256 + bytes[index]!;
  return value;
}

function uintChild(bytes: Buffer, parent: Element, id: number): number | undefined {
  const child = elements(bytes, parent.start, parent.end).find((element) => element.id === id);
  return child ? readUint(bytes, child.start, child.end) : undefined;
}
