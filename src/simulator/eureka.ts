import type { Server } from 'node:http';
import type { Logger } from '../logger.ts';
import type { DeviceModel } from '../media/device-models.ts';
import { dashedUuid } from './mdns-records.ts';

type Json = Record<string, unknown>;

// An ES import of node:http loads undici (see src/http/server.ts).
const http = process.getBuiltinModule('node:http');

/** What the device tells about itself over HTTP. */
export interface EurekaDevice {
  readonly id: string;
  readonly model: DeviceModel;
  /** The friendly name now (it changes on rename). */
  name(): string;
  /** The castv2 port (a group's `cast_port` in `multizone.groups`). */
  castPort(): number;
}

// The firmware it says it runs: the shape of a real `build_info`, the numbers made up.
const BUILD_INFO = { build_type: 2, cast_build_revision: '1.56.500000', cast_control_version: 1, release_track: 'stable-channel', system_build_number: '500000' };
/** `version` of the setup API (openscreen's own eureka_info says 12). */
const SETUP_VERSION = 12;

/**
 * The `eureka_info` document as the device would serve it: the nested shape that
 * `?params=` asks for (GHLocalApi's capture of a Google Home, trimmed to what
 * senders read). Only the fields asked for are there, as on a device; with no
 * `params` every one is. `multizone` only on devices that support it (audio devices
 * and groups); a group lists itself as a group it leads (`elected_leader: "self"`,
 * `cast_port`), which is how pychromecast finds a group's leader.
 */
export function eurekaInfo(device: EurekaDevice, params: readonly string[] | undefined): Json {
  const multizoneSupported = device.model.castType !== 'video';
  const fields: Record<string, () => unknown> = {
    name: () => device.name(),
    version: () => SETUP_VERSION,
    build_info: () => ({ ...BUILD_INFO }),
    device_info: () => ({
      manufacturer: 'Google Inc.',
      model_name: device.model.modelName,
      ssdp_udn: dashedUuid(device.id),
      capabilities: { display_supported: device.model.castType === 'video', multizone_supported: multizoneSupported },
    }),
  };
  if (multizoneSupported) {
    fields.multizone = () => ({
      audio_output_delay: 0,
      audio_output_delay_oem: 0,
      aux_in_group: '',
      multichannel_status: 0,
      groups: device.model.castType === 'group' ? [{ name: device.name(), uuid: dashedUuid(device.id), elected_leader: 'self', cast_port: device.castPort(), multichannel_status: 0 }] : [],
    });
  }
  const wanted = params ?? Object.keys(fields);
  return Object.fromEntries(wanted.filter((key) => Object.hasOwn(fields, key)).map((key) => [key, fields[key]!()]));
}

/** The device's HTTP port, as on port 8008 of a real one: `GET /setup/eureka_info?params=…`. */
export class EurekaServer {
  readonly #device: EurekaDevice;
  readonly #logger: Logger;
  #server: Server | undefined;
  #port: number;

  constructor(device: EurekaDevice, options: { port: number; logger: Logger }) {
    this.#device = device;
    this.#port = options.port;
    this.#logger = options.logger;
  }

  /** The HTTP port (known once listening; kept across restarts). */
  get port(): number {
    return this.#port;
  }

  async listen(host: string): Promise<void> {
    const server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://device');
      if (url.pathname !== '/setup/eureka_info') return void response.writeHead(404).end();
      if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
      const params = url.searchParams.get('params');
      const body = JSON.stringify(eurekaInfo(this.#device, params === null ? undefined : params.split(',').map((param) => param.trim())));
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(request.method === 'HEAD' ? undefined : body);
    });
    server.on('clientError', (error, socket) => {
      this.#logger.debug(`simulator HTTP client error: ${error.message}`);
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, host, () => {
        server.off('error', reject);
        this.#port = (server.address() as { port: number }).port;
        resolve();
      });
    });
    server.on('error', (error) => this.#logger.warn(`simulator HTTP server error: ${error.message}`));
    this.#server = server;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}
