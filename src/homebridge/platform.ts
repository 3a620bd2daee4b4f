import path from 'node:path';
import type { API, DynamicPlatformPlugin, Logging, PlatformAccessory, PlatformConfig } from 'homebridge';
import { type CastDevice, type DeviceSummary, errorMessage, escapingLogger, type Logger, limitHeapGrowth, NasCast, NotStartedError } from '../api.ts';
import { parsePlatformConfig, type Favourite, type PlatformSettings, type TelevisionSettings } from './config.ts';
import { DeviceController, type DeviceRemote } from './device-controller.ts';
import { CATEGORY, SceneSwitch, VolumeAccessory } from './extras.ts';
import { hapName } from './hap-name.ts';
import { resolveInput } from './input-media.ts';
import { inputsOf } from './inputs.ts';
import { KnownDevices } from './known-devices.ts';
import { TelevisionAccessory } from './television.ts';

/** The npm package name, which Homebridge registers plugins under. */
export const PLUGIN_NAME = 'homebridge-nascast';
/** The platform's alias in Homebridge's config.json (`"platform": "NasCast"`). */
export const PLATFORM_NAME = 'NasCast';

/** The Model each kind of device shows in the Home app. */
const MODELS: Record<DeviceSummary['kind'], string> = { chromecast: 'Chromecast', group: 'Cast group', browser: 'Browser receiver' };

/** How long to wait before trying again to start after a failure (a port in use, say). */
const RETRY_START_MS = 30_000;

interface DeviceEntry {
  readonly controller: DeviceController;
  readonly television: TelevisionAccessory;
  readonly volume: VolumeAccessory | undefined;
}

/**
 * The NasCast platform: one Television (an external accessory, so each gets the
 * Remote widget) per Chromecast, Cast group and browser target, with optional volume
 * accessories and scene switches bridged beside it. It starts NasCast (the library,
 * the media server, the control channel, discovery) once Homebridge has finished
 * launching and stops it on shutdown. Nothing here throws into Homebridge: failures
 * become log lines, and an accessory whose device is gone answers "Not Responding".
 */
export class NasCastPlatform implements DynamicPlatformPlugin {
  readonly #log: Logger;
  readonly #api: API;
  readonly #settings: PlatformSettings | undefined;
  /** Bridged accessories Homebridge restored from its cache (volume accessories, scene switches), by UUID. */
  readonly #cached = new Map<string, PlatformAccessory>();
  readonly #devices = new Map<string, DeviceEntry>();
  readonly #scenes: SceneSwitch[] = [];
  #nascast: NasCast | undefined;
  #known: KnownDevices | undefined;
  #timers: NodeJS.Timeout[] = [];
  #stopping = false;

  constructor(log: Logging, config: PlatformConfig, api: API) {
    // Device names (mDNS) and media names (disk) reach these lines: escaped, one call one line.
    this.#log = escapingLogger(log);
    this.#api = api;
    this.#settings = this.#parse(config);
    // Before Homebridge's start-up grows V8's young generation (see limitHeapGrowth), and only when configured.
    if (this.#settings) limitHeapGrowth();
    api.on('didFinishLaunching', () => {
      if (!this.#settings) return;
      this.#start(this.#settings).catch((error: unknown) => this.#log.error(`NasCast could not start: ${errorMessage(error)}`));
    });
    api.on('shutdown', () => {
      this.stop().catch((error: unknown) => this.#log.error(`NasCast did not stop cleanly: ${errorMessage(error)}`));
    });
  }

  /** Homebridge hands back each bridged accessory it cached; they are reused or removed at start. */
  configureAccessory(accessory: PlatformAccessory): void {
    this.#cached.set(accessory.UUID, accessory);
  }

  /** The running NasCast, once started (for the settings page's API and tests). */
  get nascast(): NasCast | undefined {
    return this.#nascast;
  }

  /** The controllers of the devices published so far, by device id. */
  get controllers(): ReadonlyMap<string, DeviceController> {
    return new Map([...this.#devices].map(([id, entry]) => [id, entry.controller]));
  }

  /** Stops NasCast, its timers and its accessories' listeners (Homebridge's `shutdown`). */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
    for (const entry of this.#devices.values()) {
      entry.television.dispose();
      entry.volume?.dispose();
    }
    for (const scene of this.#scenes) scene.dispose();
    await this.#nascast?.stop();
    await this.#known?.flush();
  }

  #parse(config: PlatformConfig): PlatformSettings | undefined {
    try {
      const settings = parsePlatformConfig(config);
      if (!settings) this.#log.info('NasCast is installed but has no media folders yet: add one in the plugin settings to start it');
      return settings;
    } catch (error) {
      this.#log.error(`NasCast is not started, its configuration has a mistake: ${errorMessage(error)}`);
      return undefined;
    }
  }

  async #start(settings: PlatformSettings): Promise<void> {
    const storage = path.join(this.#api.user.storagePath(), 'nascast');
    const known = (this.#known = await KnownDevices.load(path.join(storage, 'devices.json'), this.#log));
    this.#forgetStale();
    const nascast = new NasCast({
      media: settings.media,
      port: settings.port,
      storage,
      name: settings.name,
      devices: settings.devices,
      logger: this.#log,
      ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
      ...(settings.tls ? { tls: settings.tls } : {}),
      ...(settings.appId ? { appId: settings.appId } : {}),
      ...(settings.interface ? { interface: settings.interface } : {}),
      ...(settings.maxConversions === undefined ? {} : { maxConversions: settings.maxConversions }),
      ...(settings.audioLanguage === undefined ? {} : { audioLanguage: settings.audioLanguage }),
      deviceOverrides: Object.fromEntries(settings.televisions.flatMap((tv) => (tv.playback ? [[tv.device, tv.playback]] : []))),
    });
    this.#nascast = nascast;
    nascast.on('error', (error) => this.#log.error(error.message));
    nascast.on('device-up', (device) => this.#deviceSeen(summaryOf(device)));
    nascast.on('device-changed', (device) => this.#deviceSeen(summaryOf(device)));
    nascast.on('device-down', (device, reason) => {
      this.#log.info(`${device.name} went away (${reason})`);
      this.#devices.get(device.id)?.controller.setOnline(false);
    });
    nascast.on('device-online', (device) => {
      // A browser target is first seen when its page connects: published then, like a device discovery finds.
      if (device.kind === 'browser' && device.online) this.#deviceSeen(device);
      else this.#devices.get(device.id)?.controller.setOnline(device.online);
    });
    nascast.on('status', (device, status) => this.#devices.get(device)?.controller.update(status));

    // Devices known from earlier starts appear at once, "Not Responding" until found again.
    for (const device of known.list()) this.#publish({ id: device.id, name: device.name, kind: device.kind, online: false });
    this.#setUpScenes(settings);
    this.#removeStaleCached();
    await this.#startNasCast(nascast);
    this.#every(60 * 60_000, () => this.#forgetStale());
  }

  async #startNasCast(nascast: NasCast, attempt = 1): Promise<void> {
    try {
      await nascast.start();
    } catch (error) {
      await nascast.stop().catch(() => {});
      if (this.#stopping) return;
      const log = attempt === 1 ? this.#log.error.bind(this.#log) : this.#log.debug.bind(this.#log);
      log(`NasCast could not start (${errorMessage(error)}); trying again every ${RETRY_START_MS / 1000} s, the bridge keeps running`);
      this.#after(RETRY_START_MS, () => this.#startNasCast(nascast, attempt + 1));
      return;
    }
    this.#log.info(`NasCast serves ${nascast.library.size} media files at ${nascast.url}`);
    if (nascast.fingerprint) this.#log.info(`HTTPS for the web page and controllers at ${nascast.peopleUrl}; certificate fingerprint (SHA-256) ${nascast.fingerprint}`);
    if (attempt > 1) this.#log.info('NasCast started');
  }

  /** Discovery (or the hub, for a browser receiver) reports a device: it is published if new, and online. */
  #deviceSeen(device: DeviceSummary): void {
    this.#known?.seen(device);
    this.#publish(device);
    const controller = this.#devices.get(device.id)?.controller;
    if (!controller) return;
    controller.setOnline(true);
    controller.sync().catch((error: unknown) => this.#log.warn(`${device.name} was found but does not answer yet: ${errorMessage(error)}`));
  }

  /** Creates the Television (and volume accessory) of a device the first time it is seen in this run. */
  #publish(device: DeviceSummary): void {
    if (this.#devices.has(device.id)) return;
    const settings = this.#settings!;
    const tv = findTelevision(settings, device);
    if (tv?.hidden) {
      this.#log.debug(`${device.name} is hidden in the settings; not publishing it`);
      return;
    }
    const known = this.#known?.get(device.id);
    const inputs = inputsOf(tv?.inputs, settings.inputs, settings.media);
    const controller = new DeviceController({
      id: device.id,
      name: device.name,
      inputs,
      remote: this.#remote(device.id),
      logger: this.#log,
      ...(known?.lastInput === undefined ? {} : { lastInput: known.lastInput }),
      onInput: (lastInput) => this.#known?.update(device.id, { lastInput }, device),
    });
    const name = hapName(known?.configuredName ?? tv?.name ?? device.name, 'Chromecast');
    const { hap } = this.#api;
    const accessory = new this.#api.platformAccessory(name, hap.uuid.generate(`nascast:tv:${device.id}`), CATEGORY.TELEVISION);
    this.#information(accessory, MODELS[device.kind], device.id);
    const television = new TelevisionAccessory({
      api: this.#api,
      accessory,
      controller,
      logger: this.#log,
      configuredName: name,
      hiddenInputs: known?.hiddenInputs ?? [],
      onRename: (configuredName) => this.#known?.update(device.id, { configuredName }, device),
      onHiddenInputs: (hiddenInputs) => this.#known?.update(device.id, { hiddenInputs }, device),
    });
    const volume = tv && tv.volumeAccessory !== 'none' ? this.#volumeAccessory(controller, name, tv.volumeAccessory) : undefined;
    this.#devices.set(device.id, { controller, television, volume });
    this.#api.publishExternalAccessories(PLUGIN_NAME, [accessory]);
    this.#log.info(`${name} (${device.kind}) is in the Home app; add it there with the bridge's setup code if it is new`);
    for (const scene of this.#scenes) scene.refresh();
  }

  #volumeAccessory(controller: DeviceController, name: string, kind: 'lightbulb' | 'fan'): VolumeAccessory {
    const uuid = this.#volumeUuid(controller.id);
    const cached = this.#cached.get(uuid);
    const accessory = cached ?? new this.#api.platformAccessory(`${name} Volume`, uuid, kind === 'fan' ? CATEGORY.FAN : CATEGORY.LIGHTBULB);
    // A cached accessory of the other kind keeps its old service; start it afresh.
    const other = kind === 'fan' ? this.#api.hap.Service.Lightbulb : this.#api.hap.Service.Fanv2;
    const stale = accessory.getService(other);
    if (stale) accessory.removeService(stale);
    this.#information(accessory, 'Volume', controller.id);
    const volume = new VolumeAccessory({ api: this.#api, accessory, controller, kind, logger: this.#log });
    if (!cached) this.#api.registerPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, [accessory]);
    this.#cached.set(uuid, accessory);
    return volume;
  }

  #setUpScenes(settings: PlatformSettings): void {
    for (const scene of settings.scenes) {
      const uuid = this.#api.hap.uuid.generate(`nascast:scene:${scene.name.toLowerCase()}`);
      const cached = this.#cached.get(uuid);
      const accessory = cached ?? new this.#api.platformAccessory(hapName(scene.name, 'Scene'), uuid, CATEGORY.SWITCH);
      this.#information(accessory, 'Scene', `scene:${scene.name}`);
      const device = scene.device.toLowerCase();
      const lookup = (): DeviceController | undefined => [...this.#devices.values()].find(({ controller }) => controller.id.toLowerCase() === device || controller.name.toLowerCase() === device || findTelevision(settings, controller)?.name?.toLowerCase() === device)?.controller;
      this.#scenes.push(new SceneSwitch({ api: this.#api, accessory, scene, controller: lookup, logger: this.#log }));
      if (!cached) this.#api.registerPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, [accessory]);
      this.#cached.set(uuid, accessory);
    }
  }

  /** Bridged accessories cached from an earlier configuration (a scene deleted, a volume accessory turned off) are removed. */
  #removeStaleCached(): void {
    const wanted = new Set<string>(this.#scenes.map((scene) => scene.accessory.UUID));
    // Remembered devices are published by now, each with its volume accessory if it has one.
    for (const { volume } of this.#devices.values()) if (volume) wanted.add(volume.accessory.UUID);
    const stale = [...this.#cached.values()].filter((accessory) => !wanted.has(accessory.UUID));
    if (stale.length === 0) return;
    this.#log.info(`removing ${stale.length} accessor${stale.length === 1 ? 'y' : 'ies'} no longer in the settings: ${stale.map((accessory) => accessory.displayName).join(', ')}`);
    this.#api.unregisterPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, stale);
    for (const accessory of stale) this.#cached.delete(accessory.UUID);
  }

  #forgetStale(): void {
    const hours = this.#settings!.forgetAfterHours;
    const gone = this.#known?.forget(Date.now() - hours * 3_600_000) ?? [];
    for (const device of gone) {
      // An external accessory cannot be withdrawn while Homebridge runs; it is not published at the next start.
      this.#log.info(`${device.name} has not been seen for ${hours} hours: it leaves the Home app at the next restart`);
      const volume = this.#cached.get(this.#volumeUuid(device.id));
      if (volume) {
        this.#api.unregisterPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, [volume]);
        this.#cached.delete(volume.UUID);
      }
    }
  }

  #remote(id: string): DeviceRemote {
    return {
      player: () => this.#started().devicePlayer(id),
      resolve: async (favourite: Favourite) => resolveInput(this.#started(), favourite),
    };
  }

  #started(): NasCast {
    if (!this.#nascast) throw new NotStartedError();
    return this.#nascast;
  }

  #volumeUuid(deviceId: string): string {
    return this.#api.hap.uuid.generate(`nascast:volume:${deviceId}`);
  }

  #information(accessory: PlatformAccessory, model: string, serial: string): void {
    const { Service: Services, Characteristic: C } = this.#api.hap;
    accessory.getService(Services.AccessoryInformation)
      ?.setCharacteristic(C.Manufacturer, 'NasCast')
      .setCharacteristic(C.Model, model)
      .setCharacteristic(C.SerialNumber, serial.slice(0, 64));
  }

  #every(ms: number, task: () => void): void {
    const run = (): void => {
      try {
        task();
      } catch (error) {
        this.#log.error(errorMessage(error));
      }
      this.#after(ms, run);
    };
    this.#after(ms, run);
  }

  #after(ms: number, task: () => void | Promise<void>): void {
    const timer = setTimeout(() => {
      this.#timers = this.#timers.filter((other) => other !== timer);
      Promise.resolve()
        .then(task)
        .catch((error: unknown) => this.#log.error(errorMessage(error)));
    }, ms);
    timer.unref();
    this.#timers.push(timer);
  }
}

function findTelevision(settings: PlatformSettings, device: Pick<DeviceSummary, 'id' | 'name'>): TelevisionSettings | undefined {
  const id = device.id.toLowerCase();
  const name = device.name.toLowerCase();
  return settings.televisions.find((tv) => tv.device.toLowerCase() === id || tv.device.toLowerCase() === name);
}

function summaryOf(device: CastDevice): DeviceSummary {
  return { id: device.id, name: device.name, kind: device.isGroup ? 'group' : 'chromecast', online: true };
}

