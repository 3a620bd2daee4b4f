// Resource campaigns (test/helpers/campaigns.ts) at full size: 1,000 browser targets
// that register, report and leave; 500 clients that read nothing. Each figure is
// printed beside the same server's idle /healthz, measured in the same run.
import { formatTable } from './http.ts';
import { runChildInNetNamespace } from './tools.ts';
import type { CampaignFigures } from '../test/helpers/campaigns.ts';

interface Figures {
  reference: { healthzP99Ms: number };
  receivers: CampaignFigures;
  readers: CampaignFigures;
}

export function benchCampaigns(): { table: string; checks: Array<{ target: string; value: string; ok: boolean }> } {
  const figures = runChildInNetNamespace('campaign-child.ts') as Figures;
  const mib = (value: number): string => value.toFixed(1);
  const ms = (value: number): string => value.toFixed(1);
  const rows = [
    ['resource campaign', 'clients', 'RSS growth MiB', 'heap growth MiB', 'fd growth', '/healthz p99 ms', 'idle /healthz p99 ms', 'seconds'],
    ...(['receivers', 'readers'] as const).map((name) => {
      const row = figures[name];
      const label = name === 'receivers' ? 'browser targets that register, report and leave' : 'clients that read nothing, until the send timeout';
      return [label, String(row.clients), mib(row.rssGrowthMiB), mib(row.heapGrowthMiB), String(row.fdGrowth), ms(row.healthzP99Ms), ms(figures.reference.healthzP99Ms), row.seconds.toFixed(1)];
    }),
  ];
  const { receivers, readers } = figures;
  return {
    table: formatTable(rows),
    checks: [
      { target: `RSS growth under ${receivers.clients} departed receivers ≤ 20 MB`, value: `${mib(receivers.rssGrowthMiB)} MiB`, ok: receivers.rssGrowthMiB * 1.048576 <= 20 },
      { target: `RSS growth under ${readers.clients} slow readers ≤ 20 MB`, value: `${mib(readers.rssGrowthMiB)} MiB`, ok: readers.rssGrowthMiB * 1.048576 <= 20 },
      { target: '/healthz p99 while receivers come and go ≤ 50 ms', value: `${ms(receivers.healthzP99Ms)} ms (idle ${ms(figures.reference.healthzP99Ms)} ms)`, ok: receivers.healthzP99Ms <= 50 },
      { target: '/healthz p99 while readers stall ≤ 50 ms', value: `${ms(readers.healthzP99Ms)} ms (idle ${ms(figures.reference.healthzP99Ms)} ms)`, ok: readers.healthzP99Ms <= 50 },
      { target: 'no descriptor left by either campaign', value: `${receivers.fdGrowth} / ${readers.fdGrowth}`, ok: receivers.fdGrowth <= 2 && readers.fdGrowth <= 2 },
    ],
  };
}
