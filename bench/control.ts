// Control-channel benchmark: a command's round trip through a real receiver page in
// headless Chromium, and one status fanned out to 1,000 controllers. The work runs in
// bench/control-child.ts inside a loopback-only network namespace (Chromium).
import { formatTable } from './http.ts';
import { median, quantile, runChildInNetNamespace } from './tools.ts';

interface ControlFigures {
  roundTrips: number[];
  pings: number[];
  fanOut: number[];
  controllers: number;
}

export function benchControl(): { table: string; checks: Array<{ target: string; value: string; ok: boolean }> } {
  const figures = runChildInNetNamespace('control-child.ts') as ControlFigures;
  const ms = (value: number): string => value.toFixed(2);
  const roundTripP99 = quantile(figures.roundTrips, 0.99);
  const fanOutP99 = quantile(figures.fanOut, 0.99);
  const rows = [
    ['control channel (loopback, Chromium receiver)', 'samples', 'p50 ms', 'p99 ms', 'reference', 'ref p50 ms', 'ratio p50'],
    ['command → <video> change → status back', String(figures.roundTrips.length), ms(median(figures.roundTrips)), ms(roundTripP99), 'hub ping → ok', ms(median(figures.pings)), (median(figures.roundTrips) / median(figures.pings)).toFixed(2)],
    ['', '', '', '', '1-second HTTP poll (mean wait)', '500', (median(figures.roundTrips) / 500).toFixed(4)],
    [`one status → all ${figures.controllers} controllers`, String(figures.fanOut.length), ms(median(figures.fanOut)), ms(fanOutP99), '', '', ''],
  ];
  return {
    table: formatTable(rows),
    checks: [
      { target: 'control round trip p99 < 15 ms (against 1,000 ms for a 1-second poll)', value: `${ms(roundTripP99)} ms`, ok: roundTripP99 < 15 },
      { target: `fan-out to ${figures.controllers} controllers p99 < 100 ms`, value: `${ms(fanOutP99)} ms`, ok: fanOutP99 < 100 },
    ],
  };
}
