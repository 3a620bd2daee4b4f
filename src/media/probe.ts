import type { IncomingHttpHeaders } from 'node:http';
import type { OptionsOfTextResponseBody } from 'got';
import { errorMessage, UnplayableMediaError } from '../errors.ts';
import { extensionOf, mediaTypeOf } from '../library/media-types.ts';
import { bareContentType, isCastPlayable, manifestTypeOf } from './playable.ts';
import type { CastMedia } from '../cast/player.ts';

/** What {@link probeMediaUrl} learnt about a URL outside the library. */
export interface ProbedMedia extends CastMedia {
  kind: 'video' | 'audio' | 'image';
  /** Bytes, when the server said. */
  length?: number;
  /** Whether the server serves byte ranges: without them the device cannot seek. */
  acceptsRanges: boolean;
}

/** Options of {@link probeMediaUrl}. */
export interface ProbeOptions {
  /** Deadline for the whole probe, redirects included. Default 5000 ms. */
  timeoutMs?: number;
}

interface ProbeResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  url: string;
}

type GotModule = typeof import('got');
// got and what it loads (http2 among others) are ~10 MiB of RSS (measured) that a
// process which never probes a URL should not carry: it loads on the first probe.
let gotModule: Promise<GotModule> | undefined;
const loadGot = (): Promise<GotModule> => (gotModule ??= import('got'));

// Servers that do not implement HEAD answer one of these; a ranged GET asks again.
const HEAD_UNSUPPORTED = new Set([400, 403, 404, 405, 501]);

/**
 * Asks a URL that is not in the library what it serves, before a device is told
 * to play it: a HEAD request (a one-byte ranged GET where HEAD is not allowed)
 * for the type, the length and range support.
 *
 * @throws {UnplayableMediaError} `ERR_UNPLAYABLE` for a URL that is not http(s), a
 * server that cannot be reached or answers with an error, or a type a Chromecast
 * cannot play; the message says which.
 */
export async function probeMediaUrl(url: string, options: ProbeOptions = {}): Promise<ProbedMedia> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnplayableMediaError(url, 'not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UnplayableMediaError(url, `a Chromecast only fetches http and https URLs, not ${parsed.protocol}`);
  }
  const requestOptions = {
    timeout: { request: options.timeoutMs ?? 5000 },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: true,
    maxRedirects: 5,
  } satisfies OptionsOfTextResponseBody;
  const got = await loadGot();
  let response = await ask(got, url, () => got.default.head(url, requestOptions));
  if (HEAD_UNSUPPORTED.has(response.statusCode)) {
    response = await ask(got, url, () => firstResponse(got, url, { ...requestOptions, headers: { range: 'bytes=0-0' } }));
  }
  if (response.statusCode < 200 || response.statusCode > 299) {
    throw new UnplayableMediaError(url, `the server answered HTTP ${response.statusCode}`);
  }

  // The server's own name for the file beats the URL's, which may be an id or a redirect.
  const fileName = fileNameOf(response.headers['content-disposition']) ?? new URL(response.url).pathname;
  const extension = extensionOf(fileName);
  const served = bareContentType(response.headers['content-type']);
  // A generic type says nothing; the extension then decides, as a Chromecast's player would sniff it.
  const contentType = served && served !== 'application/octet-stream' && served !== 'binary/octet-stream' ? served : (manifestTypeOf(extension) ?? mediaTypeOf(fileName)?.mime ?? served);
  if (!isCastPlayable(contentType)) {
    throw new UnplayableMediaError(url, contentType ? `a Chromecast cannot play ${contentType}` : 'the server did not say what it is and the name does not tell');
  }

  const length = lengthOf(response);
  const title = titleOf(fileName);
  return {
    url,
    contentType,
    kind: contentType.startsWith('image/') ? 'image' : contentType.startsWith('audio/') || contentType === 'audio/mpegurl' ? 'audio' : 'video',
    acceptsRanges: response.statusCode === 206 || /\bbytes\b/i.test(response.headers['accept-ranges'] ?? ''),
    ...(title ? { title } : {}),
    ...(length === undefined ? {} : { length }),
  };
}

async function ask(got: GotModule, url: string, request: () => PromiseLike<ProbeResponse>): Promise<ProbeResponse> {
  try {
    return await request();
  } catch (error) {
    const code = error instanceof got.RequestError ? error.code : undefined;
    const reason = code === 'ETIMEDOUT' ? 'the server did not answer in time' : `the server cannot be reached (${code ?? errorMessage(error)})`;
    throw new UnplayableMediaError(url, reason, { cause: error });
  }
}

/** A GET that stops at the headers: a server that ignores `Range` must not stream a whole film to us. */
function firstResponse(got: GotModule, url: string, requestOptions: OptionsOfTextResponseBody): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const stream = got.default.stream(url, requestOptions);
    stream.once('response', (response: ProbeResponse) => {
      resolve({ statusCode: response.statusCode, headers: response.headers, url: response.url });
      stream.destroy();
    });
    stream.on('error', reject); // after the response, a late error has nothing left to reject
    stream.resume();
  });
}

function lengthOf(response: ProbeResponse): number | undefined {
  const total = /\/(\d+)\s*$/.exec(response.headers['content-range'] ?? '');
  if (total) return Number(total[1]);
  const declared = Number(response.headers['content-length']);
  return response.statusCode === 200 && Number.isSafeInteger(declared) && response.headers['content-length'] !== undefined ? declared : undefined;
}

/** The file name a `Content-Disposition` gives (`filename*=UTF-8''…` first, then `filename=`), URL-encoded. */
function fileNameOf(disposition: string | undefined): string | undefined {
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(disposition);
  if (extended) return extended[1];
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(disposition);
  const name = plain?.[1] ?? plain?.[2];
  return name ? encodeURIComponent(name) : undefined;
}

/** `Big%20Buck%20Bunny.mp4` (a path or an encoded file name) → `Big Buck Bunny`. */
function titleOf(pathname: string): string | undefined {
  const last = pathname.split('/').pop() ?? '';
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    name = last;
  }
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name).trim() || undefined;
}
