import test from 'ava';
import { departedReceivers, slowReaders } from './helpers/campaigns.ts';

// Bounded counts and time; `npm run bench` runs them bigger (1,000 and 500) and prints the figures.
test.serial('campaign: 300 browser targets that register, report and leave cost the server nothing lasting', async (t) => {
  const figures = await departedReceivers(300);
  t.log(JSON.stringify(figures));
  t.true(figures.rssGrowthMiB <= 20, `RSS grew ${figures.rssGrowthMiB.toFixed(1)} MiB`);
  t.true(figures.fdGrowth <= 2, `${figures.fdGrowth} descriptors more`);
  t.true(figures.healthzP99Ms <= 250, `/healthz p99 ${figures.healthzP99Ms.toFixed(1)} ms`);
});

test.serial('campaign: 200 clients that read nothing: bounded memory while they stall, all closed after the send timeout', async (t) => {
  const figures = await slowReaders(200);
  t.log(JSON.stringify(figures));
  t.true(figures.rssGrowthMiB <= 20, `RSS grew ${figures.rssGrowthMiB.toFixed(1)} MiB at the peak`);
  t.true(figures.fdGrowth <= 2, `${figures.fdGrowth} descriptors more`);
  t.true(figures.healthzP99Ms <= 250, `/healthz p99 ${figures.healthzP99Ms.toFixed(1)} ms`);
});
