// Control-channel benchmark: a command's round trip through a real receiver page in
// headless Chromium, and one status fanned out to 1,000 controllers. The work runs in
// bench/control-child.ts inside a loopback-only network namespace (Chromium).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { formatTable } from './http.ts';
import { median, quantile } from './tools.ts';

interface ControlFigures {
  roundTrips: number[];
  pings: number[];
  fanOut: number[];
  controllers: number;
}

export function benchControl(): { table: string; checks: Array<{ target: string; value: string; ok: boolean }> } {
  const child = path.join(path.dirname(new URL(import.meta.url).pathname), 'control-child.ts');
  const rootless = process.getuid?.() === 0 ? [] : ['--map-root-user'];
  const output = execFileSync('unshare', ['--net', ...rootless, 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, child], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const figures = JSON.parse(output.trim().split('\n').pop()!) as ControlFigures;
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
