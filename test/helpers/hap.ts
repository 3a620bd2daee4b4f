// Real Homebridge in a child process, and its accessories driven over HAP's HTTP
// interface in insecure mode (`-I`: the setup code as Authorization, no pairing), as
// the Home app would. Shared by the end-to-end test and the Homebridge benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import got from 'got';

export const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * The Homebridges the plugin is tested on: the newest (the `homebridge` devDependency)
 * and the oldest it supports (1.8, the `oldest-homebridge` alias); or only the one that
 * NASCAST_HOMEBRIDGE=<its bin/homebridge> names.
 */
export const HOMEBRIDGES: ReadonlyArray<{ readonly label: string; readonly bin: string }> = process.env.NASCAST_HOMEBRIDGE
  ? [{ label: 'NASCAST_HOMEBRIDGE', bin: process.env.NASCAST_HOMEBRIDGE }]
  : [
      { label: '2.x', bin: path.join(PROJECT, 'node_modules', 'homebridge', 'bin', 'homebridge.js') },
      { label: '1.8', bin: path.join(PROJECT, 'node_modules', 'oldest-homebridge', 'bin', 'homebridge') },
    ];
export const PIN = '031-45-154';
export const NOT_RESPONDING = -70402;

/** HAP's short UUIDs of the services and characteristics the tests touch. */
export const HAP = { television: 'D8', speaker: '113', active: 'B0', activeIdentifier: 'E7', remoteKey: 'E1', currentMediaState: 'E0', volume: '119', name: 'E3' } as const;
export const REMOTE_PLAY_PAUSE = 11;

interface HapCharacteristic {
  iid: number;
  type: string;
  value?: unknown;
}
interface HapAccessory {
  aid: number;
  services: Array<{ iid: number; type: string; characteristics: HapCharacteristic[] }>;
}

/** A TV as HAP's HTTP interface shows it: where its characteristics are, and how to read and write them. */
export class HapTelevision {
  readonly #base: string;
  readonly #iids = new Map<string, number>();

  constructor(port: number, accessory: HapAccessory) {
    this.#base = `http://127.0.0.1:${port}`;
    for (const service of accessory.services) {
      if (service.type !== HAP.television && service.type !== HAP.speaker) continue;
      // The speaker has an Active of its own: the Television's comes first and is the one kept.
      for (const characteristic of service.characteristics) if (!this.#iids.has(characteristic.type)) this.#iids.set(characteristic.type, characteristic.iid);
    }
  }

  static async open(port: number): Promise<HapTelevision> {
    const body = await got(`http://127.0.0.1:${port}/accessories`, { headers: { authorization: PIN } }).json<{ accessories: HapAccessory[] }>();
    return new HapTelevision(port, body.accessories[0]!);
  }

  /** The value, or the HAP status of a failed read. */
  async read(type: string): Promise<{ value?: unknown; status?: number }> {
    const response = await got(`${this.#base}/characteristics?id=1.${this.#iid(type)}`, { headers: { authorization: PIN }, throwHttpErrors: false, responseType: 'json' });
    const [entry] = (response.body as { characteristics: Array<{ value?: unknown; status?: number }> }).characteristics;
    return entry!;
  }

  /** Writes as the Home app does; resolves with the HAP status (0 for success). */
  async write(type: string, value: unknown): Promise<number> {
    const response = await got.put(`${this.#base}/characteristics`, {
      headers: { authorization: PIN },
      json: { characteristics: [{ aid: 1, iid: this.#iid(type), value }] },
      throwHttpErrors: false,
    });
    if (response.statusCode === 204) return 0;
    const body = JSON.parse(response.body) as { characteristics: Array<{ status: number }> };
    return body.characteristics[0]!.status;
  }

  #iid(type: string): number {
    const iid = this.#iids.get(type);
    if (iid === undefined) throw new Error(`no characteristic ${type} on the TV`);
    return iid;
  }
}

/** A running Homebridge. */
export interface Bridge {
  readonly process: ChildProcess;
  /** All it printed so far. */
  log(): string;
  /** The HAP port of each external accessory, by name, from Homebridge's log. */
  readonly ports: Map<string, number>;
  /** True once the main bridge says it is running. */
  running(): boolean;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** Writes `config` to `<storage>/config.json` and starts `homebridge -I -D -Q -U <storage> -P <project>` (`bin`: which Homebridge). */
export async function launchHomebridge(storage: string, config: Record<string, unknown>, bin = HOMEBRIDGES[0]!.bin): Promise<Bridge> {
  await writeFile(path.join(storage, 'config.json'), JSON.stringify(config, undefined, 2));
  const child = spawn(process.execPath, [bin, '-I', '-D', '-Q', '-U', storage, '-P', PROJECT], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let output = '';
  const ports = new Map<string, number>();
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    // HAP adds four characters of the accessory's id to an external accessory's name.
    for (const match of output.matchAll(/\] (.+?) [0-9A-F]{4} is running on port (\d+)\./g)) ports.set(match[1]!, Number(match[2]));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return {
    process: child,
    log: () => output,
    ports,
    running: () => /Homebridge v\S+ \(HAP v\S+\) \(.+\) is running on port/.test(output),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
