import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { CLI, runCli } from './helpers/cli.ts';
import { film } from './helpers/ffmpeg.ts';
import { eventually, tempDir, writeTree } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

// Real media (test/fixtures/film.mp4): the simulator probes what it is asked to play, as a device does.
const films = await film();

// `nascast cast` on a real terminal: tmux gives it one (a tmux server of the test's own,
// on its own socket), the test reads the screen and presses Ctrl-C as a user would.

const run = promisify(execFile);

test('cast on a terminal draws a progress line that moves, and Ctrl-C ends the command with the media still playing', async (t) => {
  const media = await tempDir(t);
  await writeTree(media, { 'Films/Clip.mp4': films });
  const storage = path.join(await tempDir(t), 'config');
  const tv = await startSimulator(t, { name: 'Kitchen' });
  const server = runCli(t, ['serve', '--media', `Films=${media}/Films`, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery', '--device', `Kitchen=${tv.host}:${tv.port}`]);
  await server.line(/^NasCast listening on/m);

  const socket = `nascast-test-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]): Promise<{ stdout: string }> => run('tmux', ['-L', socket, ...args]);
  t.teardown(() => tmux('kill-server').catch(() => {}));
  const command = `'${process.execPath}' '${CLI}' cast Kitchen Films/Clip.mp4 --storage '${storage}'; echo "EXITED $?"; sleep 600`;
  await tmux('new-session', '-d', '-x', '100', '-y', '12', command);
  const screen = async (): Promise<string> => (await tmux('capture-pane', '-p')).stdout;

  // The length is the one the device reports: it reads the file (an hour long).
  await eventually(async () => /▶ Clip {2}0:0\d \/ 1:00:00 {2}\[-{20}\] {2}PLAYING/.test(await screen()), 20_000, 'the progress line');
  const first = /▶ Clip {2}(\d+:\d\d)/.exec(await screen())![1]!;
  await eventually(async () => /▶ Clip {2}(\d+:\d\d)/.exec(await screen())?.[1] !== first, 5000, 'the position moving on');
  t.regex(await screen(), /^Playing "Clip" on Kitchen$/m);
  t.is((await screen()).match(/▶ Clip/g)?.length, 1, 'one line, redrawn in place');

  await tmux('send-keys', 'C-c');
  await eventually(async () => /EXITED 0/.test(await screen()), 10_000, 'the command ended');
  t.regex(await screen(), /^Left playing\.$/m);
  t.is(tv.mediaStatus()?.playerState, 'PLAYING', 'the media still plays');
});
