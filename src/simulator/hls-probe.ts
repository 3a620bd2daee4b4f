import { DETAILED_ERROR_CODES as CODES, type DetailedErrorCode } from '../cast/detailed-error-codes.ts';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deviceFetch } from './device-fetch.ts';
import { probeFile, type MediaProbe, type ProbeSettings } from './media-probe.ts';

// A playlist longer than this is not one a player reads whole.
const MAX_PLAYLIST_BYTES = 1 << 20;
// Nor a segment longer than this (a few seconds of 4K are ~20 MB).
const MAX_SEGMENT_BYTES = 64 << 20;

/** A playlist's text, or the failure its fetch or parse carries. */
type Playlist = { ok: true; url: string; lines: string[] } | { ok: false; code: DetailedErrorCode; why: string };

/**
 * An HLS LOAD as CAF's HLS player meets it: the playlist named by the LOAD (311 if it
 * cannot be fetched, 411 if it is not a playlist); for a master playlist its first
 * variant (312 / 412); then the first segment (or the EXT-X-MAP init segment of fMP4),
 * fetched (301 SEGMENT_NETWORK) and probed (316 HLS_SEGMENT_PARSING). The duration is
 * the sum of the segments' EXTINF when the playlist is complete (EXT-X-ENDLIST); a live
 * playlist has none.
 */
export async function probeHls(url: string, settings: ProbeSettings): Promise<MediaProbe> {
  let playlist = await readPlaylist(url, settings, CODES.HLS_NETWORK_MASTER_PLAYLIST, CODES.HLS_MANIFEST_MASTER);
  if (!playlist.ok) return playlist;
  const variant = firstVariant(playlist.lines);
  if (variant !== undefined) {
    playlist = await readPlaylist(new URL(variant, playlist.url).href, settings, CODES.HLS_NETWORK_PLAYLIST, CODES.HLS_MANIFEST_PLAYLIST);
    if (!playlist.ok) return playlist;
  }
  const { lines } = playlist;
  const map = lines.map((line) => /^#EXT-X-MAP:.*URI="([^"]+)"/.exec(line)?.[1]).find((uri) => uri !== undefined);
  const firstSegment = lines.find((line) => line !== '' && !line.startsWith('#'));
  const target = map ?? firstSegment;
  if (target === undefined) return { ok: false, code: CODES.HLS_MANIFEST_PLAYLIST, why: 'the playlist has no segments' };
  const codes = { unreachable: CODES.SEGMENT_NETWORK, unreadable: CODES.HLS_SEGMENT_PARSING };
  // fMP4: the player appends the init segment and then the first one, and decodes them
  // together; an init alone has no sample, and ffprobe then reports no profile or level
  // (measured: `profile=unknown level=-99` for libx264 High 4.1), which a device reads from
  // the init's avcC all the same. So the two are probed as one.
  // Both are fetched whole, as the device's player fetches them, and probed from a file:
  // ffprobe reading them over HTTP seeks, which a segment served whole does not allow.
  let together: { dir: string; file: string } | undefined;
  if (map !== undefined && firstSegment !== undefined) {
    const parts: Buffer[] = [];
    for (const uri of [map, firstSegment]) {
      const fetched = await deviceFetch(new URL(uri, playlist.url).href, { maxBytes: MAX_SEGMENT_BYTES, timeoutMs: settings.timeoutMs, signal: settings.signal });
      if (!fetched.ok) return { ok: false, code: codes.unreachable, why: `fetching ${fetched.url}: ${fetched.why}` };
      if (!fetched.complete) return { ok: false, code: codes.unreadable, why: `a segment over ${MAX_SEGMENT_BYTES} bytes` };
      parts.push(fetched.head);
    }
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nascast-sim-hls-'));
    together = { dir, file: path.join(dir, 'first.mp4') };
    await fs.writeFile(together.file, Buffer.concat(parts));
  }
  let probed: MediaProbe;
  try {
    probed = await probeFile(new URL(target, playlist.url).href, settings, codes, together?.file);
  } finally {
    if (together) await fs.rm(together.dir, { recursive: true, force: true });
  }
  if (!probed.ok) return probed;
  const complete = lines.includes('#EXT-X-ENDLIST');
  const duration = lines.reduce((sum, line) => sum + (Number(/^#EXTINF:([\d.]+)/.exec(line)?.[1]) || 0), 0);
  return { ...probed, duration: complete && duration > 0 ? duration : undefined };
}

async function readPlaylist(url: string, settings: ProbeSettings, unreachable: DetailedErrorCode, unparsable: DetailedErrorCode): Promise<Playlist> {
  const fetched = await deviceFetch(url, { maxBytes: MAX_PLAYLIST_BYTES, timeoutMs: settings.timeoutMs, signal: settings.signal });
  if (!fetched.ok) return { ok: false, code: unreachable, why: `fetching ${fetched.url}: ${fetched.why}` };
  if (!fetched.complete) return { ok: false, code: unparsable, why: `the playlist is over ${MAX_PLAYLIST_BYTES} bytes` };
  const lines = fetched.head.toString('utf8').split(/\r?\n/).map((line) => line.trim());
  if (lines[0]?.replace(/^\uFEFF/, '') !== '#EXTM3U') return { ok: false, code: unparsable, why: 'not an HLS playlist (no #EXTM3U)' };
  return { ok: true, url: fetched.url, lines };
}

/** The URI of a master playlist's first variant; undefined for a media playlist. */
function firstVariant(lines: readonly string[]): string | undefined {
  const at = lines.findIndex((line) => line.startsWith('#EXT-X-STREAM-INF'));
  if (at === -1) return undefined;
  return lines.slice(at + 1).find((line) => line !== '' && !line.startsWith('#'));
}
