import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { CastMedia } from '../cast/player.ts';
import { ConfigError, ListenError } from '../errors.ts';
import { ArtworkCache } from '../library/artwork.ts';
import type { MediaLibrary } from '../library/library.ts';
import type { MediaItem, SubtitleTrack } from '../library/model.ts';
import { type Logger, partLogger } from '../logger.ts';
import { SignedMedia, type PlaybackTarget } from '../media/signed-media.ts';
import { defaultStreamDir, removeStaleStreamDirs } from '../media/conversions.ts';
import { Streams } from '../media/streams.ts';
import type { VideoEncoderChoice } from '../media/video-encoders.ts';
import type { Secrets } from '../secrets.ts';
import { Grants } from '../signing.ts';
import { listLibrary, serveLibrary, type ItemEntry, type LibraryListing } from './api-route.ts';
import { serveItem } from './item-route.ts';
import { serveArtwork } from './artwork-route.ts';
import { continueEntries, searchEntries, serveContinue, serveSearch } from './search-route.ts';
import { admitRequest, answerClientError, refuseConnect, upgradesTo } from './conformance.ts';
import type { RouteContext } from './context.ts';
import { primaryLanAddress, urlHost } from './lan-address.ts';
import { serveMedia } from './media-route.ts';
import { oneListener } from './one-port.ts';
import { plainRefusal } from './plain-policy.ts';
import type { TlsMaterial } from './tls.ts';
import { OpenFiles } from './open-files.ts';
import { DEFAULT_RANGE_LIMITS, type RangeLimits } from './range.ts';
import { PREFLIGHT_HEADERS, sendError, sendJson } from './respond.ts';
import { StaticFiles } from './static-route.ts';
import { libraryStatus, serveStatus, type LibraryStatus } from './status-route.ts';
import { serveEmbeddedSubtitle, serveStream } from './stream-route.ts';
import { serveSubtitle } from './subtitle-route.ts';

/** Options of {@link MediaServer}. */
export interface MediaServerOptions {
  readonly library: MediaLibrary;
  /** The install's token and signing key (see `loadSecrets`). */
  readonly secrets: Secrets;
  /** TCP port; `0` picks a free one. Default 8585. */
  readonly port?: number;
  /** Address to listen on. Default `0.0.0.0` (every IPv4 interface). */
  readonly host?: string;
  /**
   * Base URL devices use to reach this server (`http://nas.lan:8585`), for
   * reverse proxies and NAT. Default: this machine's LAN address and the port.
   */
  readonly publicUrl?: string;
  /** How long media URLs stay valid, in seconds. Default 48 hours. */
  readonly grantTtl?: number;
  readonly logger?: Logger;
  readonly rangeLimits?: RangeLimits;
  /**
   * A connection on which nothing moves for this long is closed, as nginx's
   * `send_timeout`: a client that stops reading (a paused player reconnects with a
   * Range when it resumes), or one that never sends its request. Default 60000 ms.
   */
  readonly sendTimeoutMs?: number;
  /**
   * HTTPS (and `wss://`) for people and controllers, on the same port: the web page and
   * the API redirect to it, and a token sent over plain HTTP is refused. Devices keep
   * plain HTTP for media. See `loadTls`.
   */
  readonly tls?: TlsMaterial;
  /**
   * Folder of the artwork cache (covers, frames, thumbnails as JPEG, at most
   * `artworkMaxBytes`). Default: `nascast-artwork-<uid>` in the system's temp folder.
   */
  readonly artworkDir?: string;
  /** Size cap of the artwork cache, in bytes. Default 256 MiB. */
  readonly artworkMaxBytes?: number;
  /** ffmpeg's path, for artwork and conversions. Default `ffmpeg` from `PATH`. */
  readonly ffmpegPath?: string;
  /** ffprobe's path, for a remux's keyframes. Default `ffprobe` from `PATH`. */
  readonly ffprobePath?: string;
  /**
   * Folder of converted streams' segments, emptied at start. Default: a folder of this
   * process in `nascast-streams-<uid>` in the system's temp folder (those of processes
   * that are gone are removed at start).
   */
  readonly streamDir?: string;
  /** Files converted at once for devices (`ERR_BUSY` beyond). Default: the CPU count. */
  readonly maxConversions?: number;
  /** Bytes of converted segments on disk at most. Default 2 GiB. */
  readonly maxStreamBytes?: number;
  /** The H.264 encoder of video conversions (default `auto`: a hardware one that works, else libx264). */
  readonly videoEncoder?: VideoEncoderChoice;
}

/** Events of {@link MediaServer}. */
export interface MediaServerEvents {
  /** A request failed inside the server; the request got a 500 and the server runs on. */
  error: [Error];
}

// Not `import http from 'node:http'`: Node builds an ES module facade for a builtin
// by reading every export, and http's lazy `WebSocket` getters then load undici,
// http2, tls, zlib and worker_threads: 14 MiB of RSS (measured) nobody here uses.
const http = process.getBuiltinModule('node:http');
const https = process.getBuiltinModule('node:https');

const WILDCARDS = new Set(['0.0.0.0', '::', '']);
// Where WebSocket upgrades are listened for: the control hub's path (src/control/sockets.ts).
const UPGRADE_PATHS: ReadonlySet<string> = new Set(['/control']);
// A refused request leaves the connection: what follows it on the socket is not to be trusted.
const CLOSE: ReadonlyArray<readonly [string, string]> = [['Connection', 'close']];

/**
 * The one HTTP server of NasCast: ranged media, subtitles, the JSON API, the
 * receiver app (`/receiver/`) and `/healthz`, on one port. The control channel's
 * WebSocket upgrade joins it through {@link MediaServer.httpServer}.
 *
 * @example
 * ```ts
 * const server = new MediaServer({ library, secrets, port: 8585 });
 * await server.start();
 * console.log(server.mediaUrl(library.find('Big Buck Bunny')!));
 * await server.stop();
 * ```
 */
export class MediaServer extends EventEmitter<MediaServerEvents> {
  /** The underlying `node:http` server, for routes added by other parts (WebSocket upgrade). */
  readonly httpServer: Server;
  /** With `tls`: the HTTPS server on the same port (its WebSocket upgrades too). */
  readonly httpsServer: Server | undefined;
  /** What listens: the HTTP server, or with `tls` the one port both share. */
  readonly #listener: Server | net.Server;
  /** Signs the URLs of library items on this server's address (what `play` and the listings hand out). */
  readonly signedMedia: SignedMedia;
  readonly #options: MediaServerOptions;
  readonly #logger: Logger;
  readonly #openFiles = new OpenFiles();
  readonly #staticFiles = new StaticFiles();
  readonly #context: RouteContext;
  readonly #artwork: ArtworkCache;
  /** Files converted for devices that cannot play them as they are. */
  readonly streams: Streams;
  readonly #publicUrl: string | undefined;
  #warnedLoopback = false;
  // The LAN address, looked up at most every few seconds: os.networkInterfaces()
  // costs ~60 µs, and a folder listing signs two URLs per film (measured 120 ms
  // for 1,000 films). Short-lived, so a new DHCP address is still picked up.
  #cachedUrl: { value: string; at: number } | undefined;

  constructor(options: MediaServerOptions) {
    super();
    this.#options = options;
    this.#logger = partLogger(options.logger);
    const grants = new Grants(options.secrets.signingKey);
    this.streams = new Streams({
      dir: options.streamDir ?? defaultStreamDir(),
      info: (item) => options.library.details(item).info,
      resolve: (item) => options.library.resolveInsideRoot(item),
      logger: this.#logger,
      ...(options.ffmpegPath === undefined ? {} : { ffmpegPath: options.ffmpegPath }),
      ...(options.ffprobePath === undefined ? {} : { ffprobePath: options.ffprobePath }),
      ...(options.maxConversions === undefined ? {} : { maxConversions: options.maxConversions }),
      ...(options.maxStreamBytes === undefined ? {} : { maxTempBytes: options.maxStreamBytes }),
      ...(options.videoEncoder === undefined ? {} : { videoEncoder: options.videoEncoder }),
    });
    const conversions = this.streams.conversions;
    this.signedMedia = new SignedMedia({
      grants,
      baseUrl: () => this.url,
      details: (item) => options.library.details(item),
      conversions: { available: () => conversions.available, assertRoom: (key) => conversions.assertRoom(key) },
      ...(options.grantTtl === undefined ? {} : { grantTtl: options.grantTtl }),
    });
    this.#publicUrl = options.publicUrl === undefined || options.publicUrl === '' ? undefined : validatePublicUrl(options.publicUrl);
    const port = options.port ?? 8585;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`port: ${String(port)} is not a port number (0-65535)`);
    this.#context = {
      library: options.library,
      grants,
      token: options.secrets.token,
      openFiles: this.#openFiles,
      logger: this.#logger,
      rangeLimits: options.rangeLimits ?? DEFAULT_RANGE_LIMITS,
      signedMedia: this.signedMedia,
    };
    this.#artwork = new ArtworkCache({
      dir: options.artworkDir ?? path.join(os.tmpdir(), `nascast-artwork-${process.getuid?.() ?? 'user'}`),
      logger: this.#logger,
      ...(options.artworkMaxBytes === undefined ? {} : { maxBytes: options.artworkMaxBytes }),
      ...(options.ffmpegPath === undefined ? {} : { ffmpegPath: options.ffmpegPath }),
    });
    const sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
    this.httpServer = this.#configure(http.createServer({ keepAliveTimeout: 30_000, shouldUpgradeCallback: (request) => this.#upgrades(this.httpServer, request) }, (request, response) => this.#handle(request, response)), sendTimeoutMs);
    const tls = options.tls;
    this.httpsServer = tls
      ? this.#configure(https.createServer({ cert: tls.cert, key: tls.key, keepAliveTimeout: 30_000, shouldUpgradeCallback: (request) => this.#upgrades(this.httpsServer!, request) }, (request, response) => this.#handle(request, response)), sendTimeoutMs)
      : undefined;
    this.#listener = this.httpsServer ? oneListener(this.httpServer, this.httpsServer, sendTimeoutMs) : this.httpServer;
  }

  /** The servers whose WebSocket upgrades the control hub takes: HTTP, and HTTPS when on. */
  get upgradeServers(): readonly Server[] {
    return this.httpsServer ? [this.httpServer, this.httpsServer] : [this.httpServer];
  }

  #configure(server: Server, sendTimeoutMs: number): Server {
    // Socket inactivity, counted by Node as a write that makes no progress: it destroys the socket.
    server.timeout = sendTimeoutMs;
    server.on('clientError', answerClientError);
    server.on('connect', (_request, socket) => refuseConnect(socket));
    return server;
  }

  // Node 24.9+: any other request with an Upgrade header is served as a plain one, not handed to the hub.
  #upgrades(server: Server, request: IncomingMessage): boolean {
    return server.listenerCount('upgrade') > 0 && upgradesTo(request, UPGRADE_PATHS);
  }

  /** Starts listening; rejects with a `ListenError` if it cannot. */
  async start(): Promise<void> {
    const host = this.#options.host ?? '0.0.0.0';
    const port = this.#options.port ?? 8585;
    if (this.#options.streamDir === undefined) await removeStaleStreamDirs();
    await this.streams.start();
    await new Promise<void>((resolve, reject) => {
      const listener = this.#listener;
      const onError = (error: Error): void => reject(new ListenError(host, port, { cause: error }));
      listener.once('error', onError);
      listener.listen(port, host, () => {
        listener.off('error', onError);
        // After listening, a server error must not crash the process.
        listener.on('error', (error) => this.#logger.error(`HTTP server: ${error.message}`));
        // Behind the one port, neither server listens itself: Node sets up their connection
        // tracking (closeAllConnections, the header and request deadlines) on 'listening'.
        if (listener !== this.httpServer) for (const server of this.upgradeServers) server.emit('listening');
        resolve();
      });
    });
  }

  /** Stops listening, ends open connections and closes cached descriptors. */
  async stop(): Promise<void> {
    if (!this.#listener.listening) return;
    const closed = new Promise<void>((resolve) => this.#listener.close(() => resolve()));
    for (const server of this.upgradeServers) server.closeAllConnections();
    // Their deadline checks stop with close(), which says they never listened: nothing to wait for.
    if (this.#listener !== this.httpServer) for (const server of this.upgradeServers) server.close(() => {});
    await closed;
    await this.streams.close();
    await this.#artwork.close();
    this.#openFiles.close();
  }

  /** The library this server serves. */
  get library(): MediaLibrary {
    return this.#options.library;
  }

  /** The port listened on (after `start`). */
  get port(): number {
    return (this.#listener.address() as AddressInfo | null)?.port ?? this.#options.port ?? 8585;
  }

  /** Descriptors held open by the media cache now (for diagnostics and tests). */
  get openDescriptors(): number {
    return this.#openFiles.size;
  }

  /**
   * The base URL devices should use: `publicUrl` if set, else the address we
   * listen on, else this machine's LAN address. Never `localhost` unless the
   * server listens only on loopback.
   */
  get url(): string {
    if (this.#publicUrl) return this.#publicUrl;
    const now = performance.now();
    if (this.#cachedUrl && now - this.#cachedUrl.at < 5000) return this.#cachedUrl.value;
    const host = this.#options.host ?? '0.0.0.0';
    let address = WILDCARDS.has(host) ? primaryLanAddress() : host;
    if (address === undefined) {
      if (!this.#warnedLoopback) {
        this.#warnedLoopback = true;
        this.#logger.warn('this machine has no LAN address; media URLs use 127.0.0.1 and only work on this machine');
      }
      address = '127.0.0.1';
    }
    const value = `http://${urlHost(address)}:${this.port}`;
    // Only once listening: before that the port may still be 0.
    if (this.#listener.listening) this.#cachedUrl = { value, at: now };
    return value;
  }

  /** Absolute signed URL of a media item, valid for `grantTtl`. */
  mediaUrl(item: MediaItem): string {
    return this.signedMedia.mediaUrl(item);
  }

  /** Absolute signed URL of a subtitle track, served as WebVTT. */
  subtitleUrl(track: SubtitleTrack): string {
    return this.signedMedia.subtitleUrl(track);
  }

  /** A library item as a device is told to play it: signed URLs for the file and its WebVTT tracks. */
  castMedia(item: MediaItem, target?: PlaybackTarget): CastMedia {
    return this.signedMedia.castMedia(item, target);
  }

  /** A library folder as `GET /api/library?path=` lists it (the roots for `''`); undefined if there is no such folder. */
  listing(folderPath: string): LibraryListing | undefined {
    return listLibrary(this.#context, folderPath);
  }

  /** How much of the library is indexed and probed, as `GET /api/status` says. */
  status(): LibraryStatus {
    return libraryStatus(this.#options.library);
  }

  /** Library items matching `query`, best first, as `GET /api/search?q=` lists them. */
  search(query: string, limit?: number): ItemEntry[] {
    return searchEntries(this.#context, query, limit);
  }

  /** Items started and not finished, most recent first, as `GET /api/continue` lists them. */
  continueWatching(limit?: number): ItemEntry[] {
    return continueEntries(this.#context, limit);
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const refusal = admitRequest(request);
    if (refusal) return sendError(response, refusal.code, refusal.message, CLOSE);
    this.#route(request, response).catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.#logger.error(`${request.method} ${request.url?.split('?')[0]}: ${failure.message}`);
      if (this.listenerCount('error') > 0) this.emit('error', failure);
      sendError(response, 'INTERNAL', 'internal error');
    });
  }

  async #route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const mark = url.indexOf('?');
    const pathname = mark < 0 ? url : url.slice(0, mark);
    const query = new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1));
    const method = request.method ?? 'GET';

    if (this.httpsServer) {
      const refusal = plainRefusal(request, pathname, query);
      if (refusal && 'refuse' in refusal) return sendError(response, 'FORBIDDEN', refusal.refuse);
      if (refusal) {
        response.writeHead(308, { Location: refusal.redirect, 'Content-Length': '0' });
        return void response.end();
      }
    }
    if (method === 'OPTIONS') {
      response.writeHead(204, PREFLIGHT_HEADERS.flat());
      return void response.end();
    }
    // Paths are matched raw, never decoded: an encoded '/' or '..' cannot form a path.
    const segments = pathname.split('/');
    const [empty, first, second, third, ...rest] = segments;
    const streamFile = first === 'stream' && rest.length === 1 ? rest[0] : undefined;
    if (empty !== '' || (rest.length > 0 && first !== 'app' && streamFile === undefined)) return sendError(response, 'NOT_FOUND', 'no such route');
    if (method !== 'GET' && method !== 'HEAD') {
      return sendError(response, 'METHOD_NOT_ALLOWED', `${method} is not supported here`, [['Allow', 'GET, HEAD, OPTIONS']]);
    }
    if (first === 'media' && second !== undefined && third === undefined) {
      return serveMedia(this.#context, request, response, second, query);
    }
    if (streamFile !== undefined) {
      return serveStream(this.#context, this.streams, request, response, second!, third!, streamFile, query);
    }
    if (first === 'embedded' && second !== undefined && third !== undefined) {
      return serveEmbeddedSubtitle(this.#context, this.streams, request, response, second, third, query);
    }
    if (first === 'artwork' && second !== undefined && third === undefined) {
      return serveArtwork(this.#context, this.#artwork, request, response, second, query, (item) => artworkDetails(this.#options.library, item));
    }
    if (first === 'subtitles' && second !== undefined && third === undefined) {
      return serveSubtitle(this.#context, request, response, second, query);
    }
    if (first === 'api' && second === 'library' && third === undefined) {
      return serveLibrary(this.#context, request, response, query);
    }
    if (first === 'api' && second === 'status' && third === undefined) {
      return serveStatus(this.#context, request, response, query);
    }
    if (first === 'api' && second === 'item' && third === undefined) {
      return serveItem(this.#context, request, response, query);
    }
    if (first === 'api' && second === 'search' && third === undefined) {
      return serveSearch(this.#context, request, response, query);
    }
    if (first === 'api' && second === 'continue' && third === undefined) {
      return serveContinue(this.#context, request, response, query);
    }
    if (first === 'healthz' && second === undefined) {
      return sendJson(response, { status: 'ok', media: this.#options.library.size });
    }
    if ((first === '' || first === 'web' || first === 'receiver' || first === 'app') && (await this.#staticFiles.serve(request, response, pathname))) return;
    sendError(response, 'NOT_FOUND', 'no such route');
  }
}

function validatePublicUrl(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`publicUrl: '${value}' is not a URL (expected http://host:port)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`publicUrl: '${value}' must start with http:// or https://`);
  }
  return parsed.href.replace(/\/+$/, '');
}

// What probing knows that artwork needs: where 10 % of a video is, which stream is a song's cover.
function artworkDetails(library: MediaLibrary, item: MediaItem): { duration?: number; cover?: { stream: number; codec: string } } | undefined {
  const info = library.details(item).info;
  if (!info) return undefined;
  return { ...(info.duration === undefined ? {} : { duration: info.duration }), ...(info.cover === undefined ? {} : { cover: { stream: info.cover.stream, codec: info.cover.codec } }) };
}
