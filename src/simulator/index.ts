/**
 * `homebridge-nascast/simulator`: a Chromecast at the protocol level, for tests,
 * examples and `npm start` when no real device is found.
 */
export { ChromecastSimulator, type AppMessage, type SimulatorEvents, type SimulatorOptions } from './simulator.ts';
export type { CastTxt } from './advertiser.ts';
