// Preloaded (`node --import`) into a server process by test/heap.test.ts: answers
// each line read on stdin with `{"newSpace":<bytes>}`, the young generation's size,
// since V8's heap is per process and can only be watched from inside it.
import readline from 'node:readline';
import v8 from 'node:v8';

readline.createInterface({ input: process.stdin }).on('line', () => {
  const space = v8.getHeapSpaceStatistics().find((entry) => entry.space_name === 'new_space');
  console.log(JSON.stringify({ newSpace: space?.space_size ?? 0 }));
});
