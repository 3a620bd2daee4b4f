export { DeviceDiscovery, type DiscoveryEvents, type DiscoveryNote, type DiscoveryOptions, type StaticHost } from './discovery.ts';
export type { CastDevice } from './device.ts';
