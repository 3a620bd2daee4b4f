import { isUtf8 } from 'node:buffer';
import fs from 'node:fs/promises';

/**
 * Names on disk are bytes, and Samba shares often hold Latin-1 ones. Node decodes
 * them to U+FFFD, which opens nothing and makes different names equal. So the
 * library keeps paths as strings where each byte that is not valid UTF-8 becomes a
 * lone surrogate U+DC80–U+DCFF (Python's "surrogateescape"): lossless, never equal
 * to a name that is valid UTF-8 (that cannot hold a lone surrogate), and the same
 * string as before for every valid name. Such a path goes to `fs` through
 * {@link fsPath}; people see {@link displayName}.
 */
export function fromDiskBytes(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let text = '';
  let start = 0; // of the valid run not yet copied
  let index = 0;
  while (index < bytes.length) {
    const length = sequenceLength(bytes[index]!);
    if (length > 0 && index + length <= bytes.length && isUtf8(bytes.subarray(index, index + length))) {
      index += length;
      continue;
    }
    text += bytes.toString('utf8', start, index) + String.fromCharCode(0xdc00 + bytes[index]!);
    index++;
    start = index;
  }
  return text + bytes.toString('utf8', start);
}

/** The bytes a path from {@link fromDiskBytes} stands for. */
export function toDiskBytes(text: string): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0xdc80 || code > 0xdcff || isLowOfPair(text, index)) continue;
    parts.push(Buffer.from(text.slice(start, index), 'utf8'), Buffer.of(code - 0xdc00));
    start = index + 1;
  }
  parts.push(Buffer.from(text.slice(start), 'utf8'));
  return Buffer.concat(parts);
}

// ES2024's string methods (in every Node this package runs on): the project's `lib` predates them.
const es2024 = String.prototype as unknown as { isWellFormed(this: string): boolean; toWellFormed(this: string): string };

/** False if `text` holds a lone surrogate, as a path with bytes that are not UTF-8 does. */
export function isWellFormed(text: string): boolean {
  return es2024.isWellFormed.call(text);
}

/** What to hand `fs` for a library path: the string itself unless it holds escaped bytes. */
export function fsPath(text: string): string | Buffer {
  return isWellFormed(text) ? text : toDiskBytes(text);
}

/** A name or path as people see it: escaped bytes shown as U+FFFD. */
export function displayName(text: string): string {
  return es2024.toWellFormed.call(text);
}

/** `fs.realpath`, keeping bytes that are not UTF-8 (see {@link fromDiskBytes}). */
export async function realPath(text: string): Promise<string> {
  return fromDiskBytes(await fs.realpath(fsPath(text), { encoding: 'buffer' }));
}

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function isLowOfPair(text: string, index: number): boolean {
  const previous = index > 0 ? text.charCodeAt(index - 1) : 0;
  return previous >= 0xd800 && previous <= 0xdbff;
}
