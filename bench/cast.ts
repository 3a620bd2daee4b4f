// Cast benchmark: time to first device, load() to PLAYING, pause/seek round trips.
// The work happens in bench/cast-child.ts inside a loopback-only network namespace,
// because discovery's mDNS would otherwise leave the machine.
import { formatTable } from './http.ts';
import { median, quantile, runChildInNetNamespace } from './tools.ts';

interface CastFigures {
  firstDevice: number[];
  nodeStart: number[];
  firstLoad: number;
  loads: number[];
  pausePlay: number[];
  seeks: number[];
  rawPausePlay: number[];
  rawLoads: number[];
}

export function benchCast(): { table: string; checks: Array<{ target: string; value: string; ok: boolean }> } {
  const figures = runChildInNetNamespace('cast-child.ts') as CastFigures;
  const ms = (value: number): string => value.toFixed(1);
  const rows = [
    ['cast (simulator on loopback)', 'samples', 'p50 ms', 'p99 ms', 'reference', 'ref p50 ms', 'ratio p50'],
    ['process start → first device up', String(figures.firstDevice.length), ms(median(figures.firstDevice)), ms(Math.max(...figures.firstDevice)), 'node -e start', ms(median(figures.nodeStart)), (median(figures.firstDevice) / median(figures.nodeStart)).toFixed(2)],
    ['first load() → PLAYING (with launch)', '1', ms(figures.firstLoad), '', '', '', ''],
    ['load() → PLAYING', String(figures.loads.length), ms(median(figures.loads)), ms(quantile(figures.loads, 0.99)), 'raw castv2-client LOAD', ms(median(figures.rawLoads)), (median(figures.loads) / median(figures.rawLoads)).toFixed(2)],
    ['pause/play round trip', String(figures.pausePlay.length), ms(median(figures.pausePlay)), ms(quantile(figures.pausePlay, 0.99)), 'raw castv2-client', ms(median(figures.rawPausePlay)), (median(figures.pausePlay) / median(figures.rawPausePlay)).toFixed(2)],
    ['seek round trip', String(figures.seeks.length), ms(median(figures.seeks)), ms(quantile(figures.seeks, 0.99)), '', '', ''],
  ];
  const firstDevice = median(figures.firstDevice);
  const loadP50 = median(figures.loads);
  const roundTripP99 = Math.max(quantile(figures.pausePlay, 0.99), quantile(figures.seeks, 0.99));
  return {
    table: formatTable(rows),
    checks: [
      { target: 'first device < 1 s from process start (median)', value: `${ms(firstDevice)} ms`, ok: firstDevice < 1000 },
      { target: 'load() → PLAYING < 300 ms on loopback (first load, with launch, and p50)', value: `${ms(figures.firstLoad)} / ${ms(loadP50)} ms`, ok: figures.firstLoad < 300 && loadP50 < 300 },
      { target: 'pause/seek round trip p99 < 20 ms', value: `${ms(roundTripP99)} ms`, ok: roundTripP99 < 20 },
    ],
  };
}
