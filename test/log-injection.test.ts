import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { MediaLibrary } from '../src/library/library.ts';
import { consoleLogger, escapeForLog } from '../src/logger.ts';
import { mountControl } from '../src/players/mount.ts';
import { hello } from './helpers/control.ts';
import { RecordingLogger } from './helpers/homebridge.ts';
import { eventually, startMediaServer, tempDir } from './helpers/media-server.ts';

// eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;

test('control characters are written out, once: newline, CR, ESC, DEL, C1 and the Unicode separators', (t) => {
  const escaped = escapeForLog('a\nb\rc\u001b[2Jd\u007fe\u0085f\u2028g\th');
  t.is(escaped, 'a\\nb\\rc\\x1b[2Jd\\x7fe\\x85f\\u2028g\th');
  t.is(escapeForLog(escaped), escaped);
});

test('a receiver name with a newline and escape sequences cannot forge a log line', async (t) => {
  const logger = new RecordingLogger();
  const media = await startMediaServer(t, { 'a.mp4': 'x' });
  const control = mountControl(media.server, { secrets: media.secrets, logger });
  t.teardown(() => control.close());
  const name = 'Tablet\nNasCast: token is 1234\r\u001b[2J';
  await hello(t, `ws://127.0.0.1:${media.server.port}/control`, { token: control.receiverTokens.issue('*'), role: 'receiver', name });
  await eventually(() => logger.lines.some((line) => line.message.includes('connected')), 3000, 'the connection is logged');
  const logged = logger.lines.find((line) => line.message.includes('connected'))!.message;
  t.is(logged, 'Browser target "Tablet\\nNasCast: token is 1234\\r\\x1b[2J" connected');
  t.false(logger.lines.some((line) => RAW_CONTROL.test(line.message)));
});

test("a file name from the disk is logged escaped: a symlink called 'x\\nFAKE' that leads outside its root", async (t) => {
  const root = await tempDir(t);
  const outside = await tempDir(t);
  await fs.symlink(outside, path.join(root, 'x\nFAKE: all is well'));
  const logger = new RecordingLogger();
  const library = new MediaLibrary({ roots: [{ name: 'Films', path: root }], key: Buffer.alloc(32, 1), logger, rescanInterval: 0 });
  t.teardown(() => library.close());
  await library.start();
  t.true(logger.at('warn').some((message) => message.includes("x\\nFAKE: all is well' is a symlink that leads outside its root")));
  t.false(logger.lines.some((line) => RAW_CONTROL.test(line.message)));
});

test('the command line logger escapes what it prints', (t) => {
  const printed: string[] = [];
  const original = console.log;
  console.log = (message: string) => printed.push(message);
  try {
    consoleLogger().info('playing Film\n\u001b[31mred');
  } finally {
    console.log = original;
  }
  t.deepEqual(printed, ['playing Film\\n\\x1b[31mred']);
});
