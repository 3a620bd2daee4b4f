// List the Chromecasts and Cast groups on your network as they come and go, for a few
// seconds, then print what was found.
//
//   npm run build && node examples/discover-devices.ts [seconds] [[name=]host[:port] …]
//
// Devices answer mDNS on their own time; the addresses after the seconds are reached
// directly, for networks where multicast does not pass (VLANs, Docker).
import { setTimeout as sleep } from 'node:timers/promises';
import { consoleLogger, DeviceDiscovery, type CastDevice } from 'homebridge-nascast';

const seconds = Number(process.argv[2] ?? 5);
const describe = (device: CastDevice): string => `${device.name} (${device.isGroup ? 'Cast group' : device.model}) at ${device.host}:${device.port}, found by ${device.source}`;

const discovery = new DeviceDiscovery({ staticHosts: process.argv.slice(3), logger: consoleLogger() });
discovery.on('up', (device) => console.log(`up       ${describe(device)}`));
discovery.on('changed', (device) => console.log(`changed  ${describe(device)}${device.status ? `: ${device.status}` : ''}`));
discovery.on('down', (device, reason) => console.log(`down     ${device.name}: ${reason}`));
discovery.start();
await sleep(seconds * 1000);
console.log(`${discovery.devices.length} found in ${seconds} s`);
await discovery.stop();
