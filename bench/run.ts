// `npm run bench`: every benchmark in one go, printed as tables with the targets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCampaigns } from './campaigns.ts';
import { benchCast } from './cast.ts';
import { benchControl } from './control.ts';
import { benchConversion } from './conversion.ts';
import { benchHomebridge } from './homebridge.ts';
import { benchHttp } from './http.ts';
import { benchLibrary } from './library.ts';
import { benchScan } from './scan.ts';
import { benchProbe } from './probe.ts';
import { benchSearch } from './search.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nascast-bench-'));
// nginx's workers run as an unprivileged user when started as root: they must read the files.
fs.chmodSync(work, 0o755);
const checks: Array<{ target: string; value: string; ok: boolean }> = [];
try {
  console.log(`NasCast benchmarks on ${os.cpus().length} cores, Node ${process.version}; wrk ${seconds} s × ${rounds} rounds (medians; ratios paired by round)\n`);
  const library = benchLibrary(work);
  console.log(library.table + '\n');
  checks.push(...library.checks);
  const scan = benchScan(work);
  console.log(scan.table + '\n');
  checks.push(...scan.checks);
  const probe = benchProbe(work);
  console.log(probe.table + '\n');
  checks.push(...probe.checks);
  const search = await benchSearch(work);
  console.log(search.table + '\n');
  checks.push(...search.checks);
  const conversion = benchConversion();
  console.log(conversion.table + '\n');
  checks.push(...conversion.checks);
  const cast = benchCast();
  console.log(cast.table + '\n');
  checks.push(...cast.checks);
  const controlReport = benchControl();
  console.log(controlReport.table + '\n');
  checks.push(...controlReport.checks);
  const homebridgeReport = benchHomebridge();
  console.log(homebridgeReport.table + '\n');
  checks.push(...homebridgeReport.checks);
  const campaigns = benchCampaigns();
  console.log(campaigns.table + '\n');
  checks.push(...campaigns.checks);
  const httpReport = await benchHttp(work, { seconds, rounds });
  console.log(httpReport.table + '\n');
  checks.push(...httpReport.checks);
  console.log('Targets:');
  for (const check of checks) console.log(`  ${check.ok ? 'met   ' : 'MISSED'}  ${check.target}: ${check.value}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
