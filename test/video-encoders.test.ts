// Which encoder video conversions use. This machine has no GPU: the hardware path is
// checked with a stand-in ffmpeg that succeeds or fails the test encode, and a stand-in
// render node; the real libx264 path runs in the conversion tests.
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { LIBX264 } from '../src/media/ffmpeg-args.ts';
import { findVideoEncoder } from '../src/media/video-encoders.ts';
import { tempDir } from './helpers/media-server.ts';
import { writeScript } from './helpers/scripts.ts';

test('auto takes a hardware encoder whose test encode works, and libx264 when none does or none is there', async (t) => {
  const dir = await tempDir(t);
  const renderNode = path.join(dir, 'renderD128');
  await fs.writeFile(renderNode, '');
  const calls = path.join(dir, 'calls');
  // Succeeds only for h264_qsv: VAAPI is tried first and fails, QSV is taken.
  const ffmpeg = path.join(dir, 'ffmpeg');
  await writeScript(ffmpeg, `echo "$*" >> ${calls}\ncase "$*" in *h264_qsv*) exit 0 ;; esac\nexit 1`);
  const found = await findVideoEncoder('auto', { ffmpegPath: ffmpeg, renderNode, videoDevices: dir });
  t.is(found.name, 'h264_qsv');
  const tried = (await fs.readFile(calls, 'utf8')).trim().split('\n');
  t.is(tried.length, 2);
  t.regex(tried[0]!, new RegExp(`-init_hw_device vaapi=va:${renderNode} .*-t 1 -vf format=yuv420p,format=nv12,hwupload -c:v h264_vaapi`));
  t.regex(tried[1]!, /-c:v h264_qsv/);

  const failing = path.join(dir, 'failing-ffmpeg');
  await writeScript(failing, 'exit 1');
  t.is(await findVideoEncoder('auto', { ffmpegPath: failing, renderNode, videoDevices: dir }), LIBX264);
  t.is(await findVideoEncoder('auto', { ffmpegPath: ffmpeg, renderNode: path.join(dir, 'none'), videoDevices: dir }), LIBX264, 'no render node, no V4L2 device: not even tried');
});

test('a chosen hardware encoder that does not work falls back to libx264 with a warning; libx264 is taken as it is', async (t) => {
  const dir = await tempDir(t);
  await fs.writeFile(path.join(dir, 'video11'), '');
  const ffmpeg = path.join(dir, 'ffmpeg');
  await writeScript(ffmpeg, 'exit 1');
  const warnings: string[] = [];
  t.is(await findVideoEncoder('v4l2m2m', { ffmpegPath: ffmpeg, videoDevices: dir }, (message) => warnings.push(message)), LIBX264);
  t.deepEqual(warnings, ['the v4l2m2m encoder does not work on this machine (no working /dev/video device): converting with libx264']);
  const working = path.join(dir, 'working-ffmpeg');
  await writeScript(working, 'exit 0');
  t.is((await findVideoEncoder('v4l2m2m', { ffmpegPath: working, videoDevices: dir })).name, 'h264_v4l2m2m');
  t.is(await findVideoEncoder('libx264', { ffmpegPath: path.join(dir, 'nothing') }), LIBX264);
});
