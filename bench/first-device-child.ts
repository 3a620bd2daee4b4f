// A fresh process that starts discovery at once and prints when the named device is up.
import { DeviceDiscovery } from '../src/discovery/index.ts';

const name = process.argv[2]!;
const discovery = new DeviceDiscovery();
discovery.on('up', (device) => {
  if (device.name !== name) return;
  console.log(JSON.stringify({ msSinceProcessStart: performance.now() }));
  discovery.stop().catch((error: unknown) => console.error(error));
});
discovery.start();
