import type { API, Categories, PlatformAccessory, Service } from 'homebridge';
import type { Logger } from '../api.ts';
import type { SceneSettings } from './config.ts';
import type { DeviceController } from './device-controller.ts';
import { HapGlue, type GlueTarget } from './hap-glue.ts';
import { hapName } from './hap-name.ts';

/** HAP accessory categories (HAP-NodeJS's `Categories` is a const enum our build cannot read). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the values are the enum's own, copied
export const CATEGORY = { FAN: 3 as Categories, LIGHTBULB: 5 as Categories, SWITCH: 8 as Categories, TELEVISION: 31 as Categories } as const;

/**
 * A Lightbulb (brightness) or Fan (speed) whose level is a device's volume, because Siri
 * has no words for a TelevisionSpeaker: "set the Living Room volume to 30 percent".
 * Off mutes, on unmutes.
 */
export class VolumeAccessory {
  readonly accessory: PlatformAccessory;
  readonly #api: API;
  readonly #controller: DeviceController;
  readonly #service: Service;
  readonly #kind: 'lightbulb' | 'fan';
  readonly #refresh = (): void => this.refresh();

  constructor(options: { api: API; accessory: PlatformAccessory; controller: DeviceController; kind: 'lightbulb' | 'fan'; logger: Logger }) {
    const { api, accessory, controller, kind } = options;
    const { Service: Services, Characteristic: C } = api.hap;
    this.accessory = accessory;
    this.#api = api;
    this.#controller = controller;
    this.#kind = kind;
    const glue = new HapGlue(api, controller, options.logger);
    const name = accessory.displayName;
    if (kind === 'lightbulb') {
      this.#service = accessory.getService(Services.Lightbulb) ?? accessory.addService(Services.Lightbulb, name);
      this.#service.getCharacteristic(C.On)
        .onGet(glue.read(() => !controller.status.muted))
        .onSet((value) => glue.command(value ? 'unmute' : 'mute', () => controller.setMuted(!value)));
      this.#service.getCharacteristic(C.Brightness)
        .onGet(glue.read(() => controller.volume))
        .onSet((value) => glue.command('set the volume', () => controller.setVolume(Number(value))));
    } else {
      this.#service = accessory.getService(Services.Fanv2) ?? accessory.addService(Services.Fanv2, name);
      this.#service.getCharacteristic(C.Active)
        .onGet(glue.read(() => (controller.status.muted ? C.Active.INACTIVE : C.Active.ACTIVE)))
        .onSet((value) => glue.command(value === C.Active.ACTIVE ? 'unmute' : 'mute', () => controller.setMuted(value !== C.Active.ACTIVE)));
      this.#service.getCharacteristic(C.RotationSpeed)
        .onGet(glue.read(() => controller.volume))
        .onSet((value) => glue.command('set the volume', () => controller.setVolume(Number(value))));
    }
    controller.on('change', this.#refresh);
    this.refresh();
  }

  refresh(): void {
    if (!this.#controller.online) return;
    const { Characteristic: C } = this.#api.hap;
    const { muted } = this.#controller.status;
    if (this.#kind === 'lightbulb') {
      this.#service.updateCharacteristic(C.On, !muted);
      this.#service.updateCharacteristic(C.Brightness, this.#controller.volume);
    } else {
      this.#service.updateCharacteristic(C.Active, muted ? C.Active.INACTIVE : C.Active.ACTIVE);
      this.#service.updateCharacteristic(C.RotationSpeed, this.#controller.volume);
    }
  }

  dispose(): void {
    this.#controller.off('change', this.#refresh);
  }
}

/**
 * A Switch per scene ("turn on Movie Night"): on plays the scene's favourite on its
 * device, at its volume, shuffled if asked; it reads on while that favourite plays
 * there; off stops it. The device may not be found yet: it then answers "Not Responding".
 */
export class SceneSwitch {
  readonly accessory: PlatformAccessory;
  readonly scene: SceneSettings;
  readonly #api: API;
  readonly #service: Service;
  readonly #lookup: () => DeviceController | undefined;
  #followed: DeviceController | undefined;
  readonly #refresh = (): void => this.refresh();

  constructor(options: { api: API; accessory: PlatformAccessory; scene: SceneSettings; controller: () => DeviceController | undefined; logger: Logger }) {
    const { api, accessory, scene } = options;
    const { Service: Services, Characteristic: C } = api.hap;
    this.accessory = accessory;
    this.scene = scene;
    this.#api = api;
    this.#lookup = options.controller;
    const lookup = options.controller;
    const target: GlueTarget = {
      get online() {
        return lookup()?.online ?? false;
      },
      get name() {
        return lookup()?.name ?? scene.device;
      },
    };
    const glue = new HapGlue(api, target, options.logger);
    this.#service = accessory.getService(Services.Switch) ?? accessory.addService(Services.Switch, hapName(scene.name));
    this.#service.getCharacteristic(C.On)
      .onGet(glue.read(() => this.#playing()))
      .onSet((value) => {
        glue.assertOnline();
        const controller = lookup()!;
        if (!value) {
          if (this.#playing()) return glue.command(`stop ${scene.name}`, () => controller.stop());
          return;
        }
        const identifier = this.#identifier(controller);
        options.logger.info(`${scene.name}: playing ${scene.input} on ${controller.name}`);
        glue.background(`play ${scene.name}`, () => controller.playInput(identifier, { shuffle: scene.shuffle, ...(scene.volume === undefined ? {} : { volume: scene.volume }) }), this.#refresh);
        return;
      });
    this.refresh();
  }

  /** Follows the scene's device once it exists; call when devices appear. */
  refresh(): void {
    const controller = this.#lookup();
    if (controller !== this.#followed) {
      this.#followed?.off('change', this.#refresh);
      controller?.on('change', this.#refresh);
      this.#followed = controller;
    }
    if (controller?.online) this.#service.updateCharacteristic(this.#api.hap.Characteristic.On, this.#playing());
  }

  dispose(): void {
    this.#followed?.off('change', this.#refresh);
    this.#followed = undefined;
  }

  #identifier(controller: DeviceController): number {
    return controller.inputs.findIndex((input) => input.name === this.scene.input) + 1;
  }

  #playing(): boolean {
    const controller = this.#lookup();
    return controller !== undefined && controller.active && controller.input === this.#identifier(controller);
  }
}
