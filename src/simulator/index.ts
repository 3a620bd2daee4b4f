/**
 * `homebridge-nascast/simulator`: a Chromecast at the protocol level, for tests,
 * examples and `npm start` when no real device is found.
 */
export { ChromecastSimulator, type AppMessage, type SimulatorEvents, type SimulatorOptions } from './simulator.ts';
export { QUIET_CHROMIUM_ARGS, type ReceiverPage } from './receiver-browser.ts';
export type { CastTxt } from './advertiser.ts';
export { DEFAULT_DEVICE_MODEL, DEVICE_MODELS, type DeviceModel, type DeviceModelId } from '../media/device-models.ts';
export type { Rendering } from './decoding.ts';
