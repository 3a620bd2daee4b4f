import test from 'ava';
import { departedReceivers, slowReaders } from './helpers/campaigns.ts';

// Bounded counts and time; `npm run bench` runs them at full size (1,000 and 500) and
// prints the figures against their targets (RSS ≤ 20 MB, /healthz p99 ≤ 50 ms). Here,
// beside other test files on two cores, the bounds are those a regression breaks: the
// heap after a full collection (what is kept), descriptors, and RSS far below the
// megabyte a reader or a departed receiver used to cost.
test.serial('campaign: 300 browser targets that register, report and leave cost the server nothing lasting', async (t) => {
  const figures = await departedReceivers(300);
  t.log(JSON.stringify(figures));
  t.true(figures.heapGrowthMiB <= 5, `the heap kept ${figures.heapGrowthMiB.toFixed(1)} MiB (their history was 12 MiB)`);
  t.true(figures.rssGrowthMiB <= 40, `RSS grew ${figures.rssGrowthMiB.toFixed(1)} MiB`);
  t.true(figures.fdGrowth <= 2, `${figures.fdGrowth} descriptors more`);
  t.true(figures.healthzP99Ms <= 1000, `/healthz p99 ${figures.healthzP99Ms.toFixed(1)} ms`);
});

test.serial('campaign: 200 clients that read nothing: bounded memory while they stall, all closed after the send timeout', async (t) => {
  const figures = await slowReaders(200);
  t.log(JSON.stringify(figures));
  t.true(figures.heapGrowthMiB <= 5, `the heap kept ${figures.heapGrowthMiB.toFixed(1)} MiB`);
  t.true(figures.rssGrowthMiB <= 64, `RSS grew ${figures.rssGrowthMiB.toFixed(1)} MiB while they stalled (a megabyte each before: 200 MiB)`);
  t.true(figures.fdGrowth <= 2, `${figures.fdGrowth} descriptors more`);
  t.true(figures.healthzP99Ms <= 1000, `/healthz p99 ${figures.healthzP99Ms.toFixed(1)} ms`);
});
