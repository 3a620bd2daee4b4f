import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { CastMedia, Player, PlayerStatus } from './cast/player.ts';
import type { CastDevice } from './discovery/device.ts';
import { DeviceDiscovery, type StaticHost } from './discovery/discovery.ts';
import { NotStartedError } from './errors.ts';
import { limitHeapGrowth } from './heap.ts';
import { MediaServer } from './http/server.ts';
import { loadTls, type TlsMaterial, type TlsOptions } from './http/tls.ts';
import { MediaLibrary } from './library/library.ts';
import type { MediaItem, MediaRootConfig } from './library/model.ts';
import { partLogger, type Logger } from './logger.ts';
import type { DeviceOverride } from './media/device-profile.ts';
import type { VideoEncoderChoice } from './media/video-encoders.ts';
import { findItem, resolvePlayable } from './media/resolve.ts';
import { whenProbed } from './media/when-probed.ts';
import { NasCastPlayer } from './nascast-player.ts';
import { explain, type Explanation } from './players/explain.ts';
import { Chromecasts } from './players/chromecasts.ts';
import { combineDirectories, type PlayerDirectory } from './players/directory.ts';
import { mountControl, type MountedControl } from './players/mount.ts';
import { WatchFollower } from './players/watch-follower.ts';
import type { DeviceSummary } from './protocol/devices.ts';
import { defaultStorageDir, loadSecrets, type Secrets } from './secrets.ts';

/** Options of {@link NasCast}. */
export interface NasCastOptions {
  /** The media folders, each with the name people see. */
  media: readonly MediaRootConfig[];
  /** Port for HTTP, the receiver page and the control channel. Default 8585; 0 picks a free one. */
  port?: number;
  /** Address to listen on. Default `0.0.0.0`. */
  host?: string;
  /** Base URL devices reach the server at (reverse proxy, NAT). Default: the LAN address that routes to them. */
  publicUrl?: string;
  /**
   * Folder of the secrets file (token and signing key, mode 0600) and the library
   * index (`nascast-library.db`). Default `~/.config/nascast`; with `secrets` given
   * and no `storage`, nothing is written there and the library is kept in memory.
   */
  storage?: string;
  /** Use this API token instead of the stored one. */
  token?: string;
  /** The secrets themselves, instead of the file (embedding, tests). */
  secrets?: Secrets;
  /** The Cast app id registered for the NasCast receiver; empty: the Default Media Receiver. */
  appId?: string;
  /**
   * HTTPS and `wss://` for people and controllers on the same port (devices keep plain
   * HTTP for media): `true` for a self-signed certificate made at first start and kept
   * in `storage`, or your own certificate and key files. Default off.
   */
  tls?: boolean | TlsOptions;
  /** Look for Chromecasts over mDNS. Default true. */
  discovery?: boolean;
  /** Chromecasts reached by address (`host[:port]`), where multicast does not pass. */
  devices?: readonly StaticHost[];
  /** The interface address mDNS uses. */
  interface?: string;
  /** The library's name on the receiver's idle screen. Default: the roots' names. */
  name?: string;
  /** Full rescan interval of the library in ms (the fallback for network mounts). Default 5 minutes. */
  rescanInterval?: number;
  /**
   * Probe the library with ffprobe in the background (durations, tracks, tags; corrupt
   * files found). Default true; without ffprobe installed it warns once and goes on.
   */
  probe?: boolean;
  /** ffprobe's path. Default `ffprobe` from `PATH`. */
  ffprobePath?: string;
  /** ffmpeg's path (artwork, and converting what a device cannot play). Default `ffmpeg` from `PATH`. */
  ffmpegPath?: string;
  /** Files converted at once for devices (`ERR_BUSY` beyond). Default: the CPU count. */
  maxConversions?: number;
  /** The H.264 encoder of video conversions: `auto` (default) uses VAAPI, QSV or V4L2 M2M where a test encode works, else libx264. */
  videoEncoder?: VideoEncoderChoice;
  /**
   * What the user says about devices, by name or id: a model where the network name does
   * not tell, AC3/E-AC3 the TV passes through, more than 2 audio channels, a bitrate cap.
   */
  deviceOverrides?: Readonly<Record<string, DeviceOverride>>;
  /** The audio language to play when a file has several (`fr`, `fre`, `French`). Default: the file's default track. */
  audioLanguage?: string;
  /**
   * Keep V8's heap from growing with the server's churn ({@link limitHeapGrowth}:
   * process-wide, once). Default true; `false` leaves V8's own sizing.
   */
  limitHeapGrowth?: boolean;
  logger?: Logger;
}

/** Events of {@link NasCast}. */
export interface NasCastEvents {
  /** Discovery found a Chromecast or Cast group. */
  'device-up': [device: CastDevice];
  'device-changed': [device: CastDevice, previous: CastDevice];
  'device-down': [device: CastDevice, reason: string];
  /**
   * A device in use became reachable or unreachable (castv2 and the receiver page both
   * gone), or a browser target's page connected or went away.
   */
  'device-online': [device: DeviceSummary];
  /** A device's playback status, pushed (Chromecasts and browser targets alike). */
  status: [device: string, status: PlayerStatus];
  /** Something failed in the background; emitted only while someone listens, logged otherwise. */
  error: [error: Error];
}

interface Parts {
  readonly library: MediaLibrary;
  readonly server: MediaServer;
  readonly control: MountedControl;
  readonly chromecasts: Chromecasts;
  readonly directory: PlayerDirectory;
  readonly tls: TlsMaterial | undefined;
}

/**
 * NasCast as one object: the media library, the media server with the control
 * channel on its port, discovery, and a player per device (Chromecasts and browser
 * targets). The Homebridge platform and the `nascast` command sit on it. Nothing is
 * global: two instances on two ports do not meet.
 */
export class NasCast extends EventEmitter<NasCastEvents> {
  readonly discovery: DeviceDiscovery;
  readonly #options: NasCastOptions;
  readonly #logger: Logger;
  #parts: Parts | undefined;
  #starting: Promise<void> | undefined;

  constructor(options: NasCastOptions) {
    super();
    this.#options = options;
    // Names, paths and reasons from devices and disks are logged: one call, one line.
    this.#logger = partLogger(options.logger);
    this.discovery = new DeviceDiscovery({
      logger: this.#logger,
      mdns: options.discovery !== false,
      staticHosts: [...(options.devices ?? [])],
      ...(options.interface ? { interface: options.interface } : {}),
    });
    this.discovery.on('up', (device) => this.emit('device-up', device));
    this.discovery.on('changed', (device, previous) => this.emit('device-changed', device, previous));
    this.discovery.on('down', (device, reason) => this.emit('device-down', device, reason));
  }

  /** The media library (after {@link NasCast.start}). */
  get library(): MediaLibrary {
    return this.#started().library;
  }

  /** The media server (after {@link NasCast.start}). */
  get server(): MediaServer {
    return this.#started().server;
  }

  /** The control channel on the server's port (after {@link NasCast.start}). */
  get control(): MountedControl {
    return this.#started().control;
  }

  /** The server's base URL, as devices reach it. */
  get url(): string {
    return this.#started().server.url;
  }

  /** With `tls`: the certificate's SHA-256 fingerprint (`AB:CD:…`), for clients to pin; undefined without. */
  get fingerprint(): string | undefined {
    return this.#started().tls?.fingerprint;
  }

  /** The address people and controllers use: `https://…` with `tls`, else the devices' `http://…`. */
  get peopleUrl(): string {
    const { server, tls } = this.#started();
    return tls ? server.url.replace(/^http:/, 'https:') : server.url;
  }

  /** Scans the library, starts the server and the control channel, then looks for devices. */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  /** Stops discovery, closes every session and socket, and stops the server and the library's watching. */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => {});
    this.#starting = undefined;
    const parts = this.#parts;
    this.#parts = undefined;
    await this.discovery.stop();
    if (!parts) return;
    parts.chromecasts.close();
    await parts.control.close();
    await parts.server.stop();
    await parts.library.close();
  }

  /** Every device: Chromecasts and Cast groups found, and browser targets connected. */
  devices(): DeviceSummary[] {
    return this.#started().directory.devices();
  }

  /**
   * The player of a device named by id or name; its `load` takes library items,
   * folders, ids, paths and URLs. Rejects with `ControlError` `UNKNOWN_DEVICE` listing
   * what was found.
   *
   * @example
   * ```ts
   * const player = await cast.player('Living Room TV');
   * await player.load(cast.library.find('Big Buck Bunny')!, { subtitles: 'en' });
   * await player.seek(120);
   * ```
   */
  async player(device: string): Promise<NasCastPlayer> {
    const parts = this.#started();
    const media = { library: parts.server.library, castMedia: parts.server.castMedia.bind(parts.server), prepare: () => parts.server.streams.conversions.checkFfmpeg(), ...(this.#options.audioLanguage ? { audioLanguage: this.#options.audioLanguage } : {}) };
    return new NasCastPlayer(device, await parts.directory.player(device), media, () => parts.directory.profile(device));
  }

  /**
   * The device's own {@link Player} (a `ChromecastPlayer` or a browser target's), for
   * integrations that need more than {@link NasCast.player} gives, such as its `online` events.
   */
  devicePlayer(device: string): Promise<Player> {
    return this.#started().directory.player(device);
  }

  /** A library item as a player loads it: a signed URL and its WebVTT tracks. */
  media(item: MediaItem): CastMedia {
    return this.#started().server.signedMedia.castMedia(item);
  }

  /**
   * Resolves once the library file `media` names is probed (or cannot be: unreadable, no
   * ffprobe, probing off), at most `timeoutMs` later; its folder is probed first. For a
   * command that decides about a file of a library it has just started.
   */
  async probed(media: string, timeoutMs = 30_000): Promise<void> {
    const { library } = this.#started();
    const item = findItem(library, media);
    if (item) await whenProbed(library, item, timeoutMs);
  }

  /**
   * What would be done to a library file (its id or library path) on a device, or on
   * every online device with none named, and why: played as it is, repackaged, or
   * converted, in words ("HEVC Main 10 is not supported by Chromecast (3rd generation):
   * converting the video to H.264 1080p"). Throws `ControlError` `UNKNOWN_MEDIA` or
   * `UNKNOWN_DEVICE`.
   *
   * @example
   * ```ts
   * for (const decision of cast.explain('Films/Up (2009).mkv').decisions) console.log(decision.name, decision.mode, decision.reasons);
   * ```
   */
  explain(media: string, options: { device?: string; audio?: string; subtitles?: string } = {}): Explanation {
    const { library, server, directory } = this.#started();
    const source = { library, plan: server.signedMedia.plan.bind(server.signedMedia), ...(this.#options.audioLanguage ? { audioLanguage: this.#options.audioLanguage } : {}) };
    return explain(source, directory, media, options);
  }

  /**
   * What a `play` names, as players take it: a media id or library path (a file, or a
   * folder as a queue), or else a URL outside the library, probed first. Rejects with
   * `ControlError` `UNKNOWN_MEDIA` or `BAD_REQUEST`, or `UnplayableMediaError` for a URL.
   */
  resolve(media: string | undefined, url?: string): Promise<CastMedia | CastMedia[]> {
    const { library, server } = this.#started();
    return resolvePlayable({ library, castMedia: (item) => server.signedMedia.castMedia(item) }, media, url);
  }

  async #start(): Promise<void> {
    const options = this.#options;
    // Before the scan, whose allocations would otherwise grow the young generation first.
    if (options.limitHeapGrowth !== false) limitHeapGrowth();
    const stored = options.secrets ?? (await loadSecrets(options.storage ?? defaultStorageDir()));
    const secrets = options.token ? { ...stored, token: options.token } : stored;
    const logger = this.#logger;
    const tls = options.tls ? await loadTls(options.tls === true ? {} : options.tls, options.storage ?? defaultStorageDir(), logger) : undefined;
    const library = new MediaLibrary({
      roots: options.media,
      key: secrets.signingKey,
      logger,
      ...libraryStorage(options),
      ...(options.rescanInterval === undefined ? {} : { rescanInterval: options.rescanInterval }),
      ...(options.probe === undefined ? {} : { probe: options.probe }),
      ...(options.ffprobePath === undefined ? {} : { ffprobePath: options.ffprobePath }),
    });
    const storage = libraryStorage(options).storage;
    const server = new MediaServer({
      library,
      secrets,
      port: options.port ?? 8585,
      host: options.host ?? '0.0.0.0',
      logger,
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      ...(tls ? { tls } : {}),
      ...(storage === undefined ? {} : { artworkDir: path.join(storage, 'artwork'), streamDir: path.join(storage, 'streams') }),
      ...(options.ffmpegPath === undefined ? {} : { ffmpegPath: options.ffmpegPath }),
      ...(options.ffprobePath === undefined ? {} : { ffprobePath: options.ffprobePath }),
      ...(options.maxConversions === undefined ? {} : { maxConversions: options.maxConversions }),
      ...(options.videoEncoder === undefined ? {} : { videoEncoder: options.videoEncoder }),
    });
    server.on('error', (error) => this.#fail(error));
    let chromecasts!: Chromecasts;
    let directory!: PlayerDirectory;
    const control = mountControl(server, {
      secrets,
      logger,
      name: options.name ?? (options.media.map((root) => root.name).join(' · ') || 'NasCast'),
      ...(options.deviceOverrides ? { deviceOverrides: options.deviceOverrides } : {}),
      ...(options.audioLanguage ? { audioLanguage: options.audioLanguage } : {}),
      directory: (targets, link) => {
        chromecasts = new Chromecasts({
          discovery: this.discovery,
          control: link,
          logger,
          receivers: () => link.hub.receivers,
          ...(options.deviceOverrides ? { overrides: options.deviceOverrides } : {}),
          ...(options.appId ? { appId: options.appId } : {}),
        });
        return (directory = combineDirectories(chromecasts, targets));
      },
    });
    chromecasts.on('online', (device) => this.emit('device-online', device));
    control.browserTargets.on('online', (device) => this.emit('device-online', device));
    const follower = new WatchFollower(library);
    control.hub.on('status', (device, status) => {
      follower.observe(device, status);
      this.emit('status', device, status);
    });
    try {
      await library.start();
      await server.start();
    } catch (error) {
      chromecasts.close();
      await control.close();
      await server.stop().catch(() => {});
      await library.close();
      throw error;
    }
    this.#parts = { library, server, control, chromecasts, directory, tls };
    this.discovery.start();
  }

  #started(): Parts {
    if (!this.#parts) throw new NotStartedError();
    return this.#parts;
  }

  #fail(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else this.#logger.error(error.message);
  }
}

// Where the library keeps its index: the storage folder, unless the caller gave the
// secrets and no folder (embedding, tests), who then expects nothing written.
function libraryStorage(options: NasCastOptions): { storage?: string } {
  if (options.storage !== undefined) return { storage: options.storage };
  return options.secrets ? {} : { storage: defaultStorageDir() };
}
