// Runs the resource campaigns at the sizes issue 19 names, in a process of their own
// (RSS is the process's), and prints one JSON line of figures.
import { departedReceivers, idleHealthz, slowReaders } from '../test/helpers/campaigns.ts';

const reference = await idleHealthz(200);
const receivers = await departedReceivers(1000);
const readers = await slowReaders(500);
console.log(JSON.stringify({ reference, receivers, readers }));
