import type { API, Characteristic, CharacteristicValue, PlatformAccessory, Service, WithUUID } from 'homebridge';
import type { Logger } from '../api.ts';
import { INPUT_POOL_SIZE } from './config.ts';
import type { DeviceController } from './device-controller.ts';
import { HAP_STATUS, HapGlue } from './hap-glue.ts';
import { hapName } from './hap-name.ts';

export { INPUT_POOL_SIZE };

/** Seconds the remote's left and right arrows seek. */
export const SEEK_STEP_SECONDS = 30;

/** Percent the remote's volume buttons step. */
export const VOLUME_STEP_PERCENT = 5;

/** Options of {@link TelevisionAccessory}. */
export interface TelevisionOptions {
  readonly api: API;
  readonly accessory: PlatformAccessory;
  readonly controller: DeviceController;
  readonly logger: Logger;
  /** The name shown in the Home app: the one the user gave there, or from the config, or the device's. */
  readonly configuredName: string;
  /** Names of inputs the user hid in the Home app. */
  readonly hiddenInputs?: readonly string[];
  /** The user renamed the TV in the Home app. */
  readonly onRename?: (name: string) => void;
  /** The user showed or hid inputs in the Home app. */
  readonly onHiddenInputs?: (names: string[]) => void;
}

/**
 * A device as a HomeKit Television with a TelevisionSpeaker: power, inputs (the
 * favourites), the Remote widget's keys, media state and volume. Characteristics are
 * pushed from the controller's status; every `onGet` answers from that cache.
 */
export class TelevisionAccessory {
  readonly accessory: PlatformAccessory;
  readonly #api: API;
  readonly #controller: DeviceController;
  readonly #logger: Logger;
  readonly #glue: HapGlue;
  readonly #television: Service;
  readonly #speaker: Service;
  readonly #inputs: Service[] = [];
  readonly #hidden: Set<string>;
  readonly #onHiddenInputs: ((names: string[]) => void) | undefined;
  readonly #refresh = (): void => this.refresh();
  /**
   * HAP stores a written value only after our handler has returned: when a pick or a
   * power change ends otherwise than asked (nothing to play, a failure), the state we
   * push must come after that, or the Home app keeps what it wrote.
   */
  readonly #refreshAfterWrite = (): void => void setImmediate(this.#refresh);
  /** The power change under way (what was asked, and its end), if any. */
  #power: { readonly on: boolean; readonly done: Promise<void> } | undefined;

  constructor(options: TelevisionOptions) {
    const { api, accessory, controller } = options;
    const { Service: Services, Characteristic: C } = api.hap;
    this.accessory = accessory;
    this.#api = api;
    this.#controller = controller;
    this.#logger = options.logger;
    this.#glue = new HapGlue(api, controller, options.logger);
    this.#hidden = new Set(options.hiddenInputs ?? []);
    this.#onHiddenInputs = options.onHiddenInputs;

    const television = accessory.getService(Services.Television) ?? accessory.addService(Services.Television, hapName(options.configuredName));
    this.#television = television;
    television.setPrimaryService(true);
    television.setCharacteristic(C.ConfiguredName, hapName(options.configuredName));
    television.setCharacteristic(C.SleepDiscoveryMode, C.SleepDiscoveryMode.ALWAYS_DISCOVERABLE);
    television.getCharacteristic(C.ConfiguredName).onSet((value) => {
      const name = hapName(typeof value === 'string' ? value : '', controller.name);
      this.#logger.info(`${controller.name} is now called '${name}' in the Home app`);
      options.onRename?.(name);
    });
    television.getCharacteristic(C.Active)
      .onGet(this.#glue.read(() => (controller.active ? C.Active.ACTIVE : C.Active.INACTIVE)))
      .onSet((value) => this.#setActive(value));
    television.getCharacteristic(C.ActiveIdentifier)
      .onGet(this.#glue.read(() => controller.input))
      .onSet((value) => this.#setInput(Number(value)));
    television.getCharacteristic(C.RemoteKey).onSet((value) => this.#remoteKey(Number(value)));
    television.getCharacteristic(C.CurrentMediaState).onGet(this.#glue.read(() => this.#currentMediaState()));
    television.getCharacteristic(C.TargetMediaState)
      .onGet(this.#glue.read(() => this.#targetMediaState()))
      .onSet((value) => this.#setTargetMediaState(Number(value)));

    const speaker = accessory.getService(Services.TelevisionSpeaker) ?? accessory.addService(Services.TelevisionSpeaker, `${hapName(options.configuredName)} Speaker`);
    this.#speaker = speaker;
    speaker.setCharacteristic(C.Active, C.Active.ACTIVE);
    speaker.setCharacteristic(C.VolumeControlType, C.VolumeControlType.ABSOLUTE);
    speaker.getCharacteristic(C.Mute)
      .onGet(this.#glue.read(() => controller.status.muted))
      .onSet((value) => this.#glue.command(value ? 'mute' : 'unmute', () => controller.setMuted(Boolean(value))));
    speaker.getCharacteristic(C.Volume)
      .onGet(this.#glue.read(() => controller.volume))
      .onSet((value) => this.#glue.command('set the volume', () => controller.setVolume(Number(value))));
    speaker.getCharacteristic(C.VolumeSelector).onSet((value) =>
      this.#glue.command('change the volume', () => controller.stepVolume(value === C.VolumeSelector.INCREMENT ? VOLUME_STEP_PERCENT : -VOLUME_STEP_PERCENT)),
    );
    television.addLinkedService(speaker);

    for (let identifier = 1; identifier <= INPUT_POOL_SIZE; identifier++) {
      const input = accessory.getServiceById(Services.InputSource, `input-${identifier}`) ?? accessory.addService(Services.InputSource, `Input ${identifier}`, `input-${identifier}`);
      input.setCharacteristic(C.Identifier, identifier);
      input.setCharacteristic(C.InputSourceType, C.InputSourceType.OTHER);
      input.getCharacteristic(C.TargetVisibilityState).onSet((value) => this.#setVisibility(identifier, Number(value)));
      television.addLinkedService(input);
      this.#inputs.push(input);
    }

    controller.on('change', this.#refresh);
    this.refresh();
  }

  /** Pushes the controller's state to every characteristic (on each status, input change, or reachability change). */
  refresh(): void {
    const { Characteristic: C } = this.#api.hap;
    const controller = this.#controller;
    this.#refreshInputs();
    if (!controller.online) return; // reads now answer "Not Responding"; nothing to push
    push(this.#television, C.Active, controller.active ? C.Active.ACTIVE : C.Active.INACTIVE);
    push(this.#television, C.ActiveIdentifier, controller.input);
    push(this.#television, C.CurrentMediaState, this.#currentMediaState());
    push(this.#television, C.TargetMediaState, this.#targetMediaState());
    push(this.#speaker, C.Mute, controller.status.muted);
    push(this.#speaker, C.Volume, controller.volume);
  }

  /** Stops following the controller. */
  dispose(): void {
    this.#controller.off('change', this.#refresh);
  }

  #refreshInputs(): void {
    const { Characteristic: C } = this.#api.hap;
    const favourites = this.#controller.inputs;
    for (const [index, input] of this.#inputs.entries()) {
      const favourite = favourites[index];
      const visible = favourite !== undefined && !this.#hidden.has(favourite.name);
      input.updateCharacteristic(C.ConfiguredName, favourite ? hapName(favourite.name, `Input ${index + 1}`) : `Input ${index + 1}`);
      input.updateCharacteristic(C.Name, favourite ? hapName(favourite.name, `Input ${index + 1}`) : `Input ${index + 1}`);
      input.updateCharacteristic(C.IsConfigured, favourite ? C.IsConfigured.CONFIGURED : C.IsConfigured.NOT_CONFIGURED);
      const visibility = visible ? C.CurrentVisibilityState.SHOWN : C.CurrentVisibilityState.HIDDEN;
      input.updateCharacteristic(C.CurrentVisibilityState, visibility);
      input.updateCharacteristic(C.TargetVisibilityState, visibility);
    }
    if (favourites.length > INPUT_POOL_SIZE) this.#logger.warn(`${this.#controller.name}: only the first ${INPUT_POOL_SIZE} of its ${favourites.length} inputs are shown`);
  }

  #setActive(value: CharacteristicValue): void {
    const { Characteristic: C } = this.#api.hap;
    const on = value === C.Active.ACTIVE;
    // While a power change is carried out, the one asked for is what counts: "on" just
    // after "off" is no no-op because the device has not closed its app yet. Each waits
    // for the one before it.
    if (on === (this.#power?.on ?? this.#controller.active)) return;
    this.#logger.info(`${this.#controller.name}: turning ${on ? 'on' : 'off'}`);
    const done = (this.#power?.done ?? Promise.resolve()).then(() => (on ? this.#controller.turnOn() : this.#controller.turnOff()));
    const power = { on, done: done.catch(() => {}) };
    this.#power = power;
    void power.done.then(() => {
      if (this.#power === power) this.#power = undefined;
    });
    this.#glue.background(on ? 'turn on' : 'turn off', () => done.finally(this.#refreshAfterWrite), this.#refreshAfterWrite);
  }

  #setInput(identifier: number): void {
    if (identifier < 1 || identifier > this.#controller.inputs.length) {
      this.#logger.warn(`${this.#controller.name}: input ${identifier} is not configured`);
      throw new this.#api.hap.HapStatusError(HAP_STATUS.INVALID_VALUE_IN_REQUEST);
    }
    const favourite = this.#controller.inputs[identifier - 1]!;
    this.#logger.info(`${this.#controller.name}: playing ${favourite.name}`);
    this.#glue.background(`play ${favourite.name}`, () => this.#controller.playInput(identifier).finally(this.#refreshAfterWrite), this.#refreshAfterWrite);
  }

  async #remoteKey(key: number): Promise<void> {
    const { RemoteKey } = this.#api.hap.Characteristic;
    const controller = this.#controller;
    switch (key) {
      case RemoteKey.PLAY_PAUSE:
      case RemoteKey.SELECT:
        return this.#glue.command('play or pause', () => controller.togglePlayPause());
      case RemoteKey.ARROW_RIGHT:
      case RemoteKey.FAST_FORWARD:
        return this.#glue.command('seek forward', () => controller.seekBy(SEEK_STEP_SECONDS));
      case RemoteKey.ARROW_LEFT:
      case RemoteKey.REWIND:
        return this.#glue.command('seek back', () => controller.seekBy(-SEEK_STEP_SECONDS));
      case RemoteKey.NEXT_TRACK:
      case RemoteKey.ARROW_DOWN:
        return this.#glue.command('play the next item', () => controller.next());
      case RemoteKey.PREVIOUS_TRACK:
      case RemoteKey.ARROW_UP:
        return this.#glue.command('play the previous item', () => controller.prev());
      case RemoteKey.INFORMATION:
        return this.#glue.command('show what is playing', () => controller.overlay());
      case RemoteKey.BACK:
      case RemoteKey.EXIT:
        return this.#glue.command('stop', () => controller.stop());
      default:
        this.#logger.debug(`${controller.name}: remote key ${key} does nothing`);
    }
  }

  async #setTargetMediaState(target: number): Promise<void> {
    const { TargetMediaState } = this.#api.hap.Characteristic;
    const controller = this.#controller;
    if (target === TargetMediaState.PLAY) return this.#glue.command('play', () => (controller.active ? controller.play() : controller.turnOn()));
    if (target === TargetMediaState.PAUSE) return this.#glue.command('pause', () => controller.pause());
    return this.#glue.command('stop', () => controller.stop());
  }

  #setVisibility(identifier: number, visibility: number): void {
    const { CurrentVisibilityState } = this.#api.hap.Characteristic;
    const favourite = this.#controller.inputs[identifier - 1];
    if (!favourite) return;
    if (visibility === CurrentVisibilityState.HIDDEN) this.#hidden.add(favourite.name);
    else this.#hidden.delete(favourite.name);
    this.#inputs[identifier - 1]?.updateCharacteristic(this.#api.hap.Characteristic.CurrentVisibilityState, visibility);
    this.#onHiddenInputs?.([...this.#hidden]);
  }

  #currentMediaState(): number {
    const { CurrentMediaState } = this.#api.hap.Characteristic;
    // Until the device answers our load, what it reports is what played before.
    if (this.#controller.starting) return CurrentMediaState.LOADING;
    switch (this.#controller.status.state) {
      case 'PLAYING':
        return CurrentMediaState.PLAY;
      case 'PAUSED':
        return CurrentMediaState.PAUSE;
      case 'LOADING':
      case 'BUFFERING':
        return CurrentMediaState.LOADING;
      case 'ERROR':
        return CurrentMediaState.INTERRUPTED;
      default:
        return CurrentMediaState.STOP;
    }
  }

  #targetMediaState(): number {
    const { TargetMediaState } = this.#api.hap.Characteristic;
    const state = this.#controller.status.state;
    if (state === 'PAUSED') return TargetMediaState.PAUSE;
    return this.#controller.active ? TargetMediaState.PLAY : TargetMediaState.STOP;
  }
}

/**
 * Sets a characteristic only when its value changes: HomeKit is told real transitions,
 * in order, and not the same value again on every status (a Home app write has already
 * set the value it wrote).
 */
function push(service: Service, type: WithUUID<new () => Characteristic>, value: CharacteristicValue): void {
  if (service.getCharacteristic(type).value !== value) service.updateCharacteristic(type, value);
}
