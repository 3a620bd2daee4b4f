// `nascast library`, `search`, `continue` and `cast <device> <words>`, as a user runs them
// against a `nascast serve` reaching a simulator by address.
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { type CliRun, runCli, runToEnd } from './helpers/cli.ts';
import { film } from './helpers/ffmpeg.ts';
import { eventually, tempDir, writeTree } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

const films = await film();

async function served(t: ExecutionContext) {
  const media = await tempDir(t);
  await writeTree(media, {
    'Films/Le Fabuleux Destin d’Amélie Poulain (2001).mp4': films,
    'Films/Film One.mp4': films,
    'Films/Film Two.mp4': films,
    'Films/Broken.mp4': 'not a film',
  });
  const storage = path.join(await tempDir(t), 'config');
  const kitchen = await startSimulator(t, { name: 'Kitchen' });
  const server = runCli(t, ['serve', '--media', `Films=${media}/Films`, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery', '--device', `Kitchen=${kitchen.host}:${kitchen.port}`]);
  await server.line(/^NasCast listening on/m);
  const run = (...args: string[]): Promise<CliRun> => runToEnd(t, [...args, '--storage', storage]);
  await eventually(async () => (JSON.parse((await run('devices', '--json')).stdout || '[]') as unknown[]).length === 1, 10_000, 'the device listed');
  return { kitchen, run };
}

test('library says how much is probed; search finds by folded words; cast plays the one match, and lists several with exit 1', async (t) => {
  const { kitchen, run } = await served(t);
  await eventually(async () => {
    const status = JSON.parse((await run('library', '--json')).stdout) as { probing: { probed: number; files: number } };
    return status.probing.probed === status.probing.files;
  }, 30_000, 'every file probed');
  const status = JSON.parse((await run('library', '--json')).stdout) as unknown;
  t.deepEqual(status, { media: 4, scanning: false, probing: { files: 4, probed: 4, failed: 1, running: false, available: true } });
  const line = await run('library');
  t.is(line.code, 0);
  t.is(line.stdout.trim(), '4 media files, 100% probed (4 of 4), 1 unreadable', 'off a terminal: one line, no bar');

  const found = await run('search', 'amelie');
  t.is(found.code, 0);
  t.regex(found.stdout, /Le Fabuleux Destin d’Amélie Poulain\s+video\s+1:00:00/);
  const json = JSON.parse((await run('search', '--json', 'film')).stdout) as { items: Array<{ title: string }> };
  t.deepEqual(json.items.map((item) => item.title).sort(), ['Film One', 'Film Two']);
  t.regex((await run('search', 'nothing-like-this')).stdout, /Nothing matches "nothing-like-this"/);

  const several = await run('cast', 'Kitchen', 'film', '--no-follow');
  t.is(several.code, 1);
  t.regex(several.stderr, /2 items match "film"; say which .*\n {2}Film One {2}\([\w-]{22}\)\n {2}Film Two/);
  t.is(kitchen.mediaStatus(), undefined, 'nothing played');

  const one = await run('cast', 'Kitchen', 'amelie', 'poulain', '--no-follow');
  t.is(one.code, 0, one.stderr);
  t.regex(one.stdout, /Playing "Le Fabuleux Destin d’Amélie Poulain" on Kitchen/);
  t.is(kitchen.mediaStatus()?.playerState, 'PLAYING');

  const broken = await run('cast', 'Kitchen', 'Films/Broken.mp4', '--no-follow');
  t.is(broken.code, 1);
  t.regex(broken.stderr, /Cannot cast Broken\.mp4: ffprobe found no media in it/);

  t.regex((await run("continue")).stdout, /^Nothing to continue\./, "just started: nothing to resume yet");
});
