export { DeviceDiscovery, type DiscoveryEvents, type DiscoveryNote, type DiscoveryOptions } from './discovery.ts';
export type { CastDevice } from './device.ts';
