// Which H.264 encoder a video conversion uses: a hardware one where this machine has it
// and it works (a NAS's Intel iGPU through VAAPI or QSV, a Raspberry Pi's V4L2 M2M),
// else libx264. "Works" is a one-second test encode, not the encoder's presence in
// `ffmpeg -encoders`: Debian's ffmpeg lists all three on machines with none of them.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { LIBX264, type VideoEncoder } from './ffmpeg-args.ts';

/** What the user may choose: `auto` tries the hardware ones in this order, then libx264. */
export type VideoEncoderChoice = 'auto' | 'libx264' | 'vaapi' | 'qsv' | 'v4l2m2m';

/** Where the hardware is (tests point them elsewhere). */
export interface EncoderProbeOptions {
  readonly ffmpegPath?: string;
  /** The DRM render node VAAPI and QSV use. Default `/dev/dri/renderD128`. */
  readonly renderNode?: string;
  /** The folder of V4L2 devices. Default `/dev`. */
  readonly videoDevices?: string;
}

/** The hardware encoders, with what ffmpeg needs to run each (research/issue22-hls.md, Q8). */
export function hardwareEncoders(renderNode = '/dev/dri/renderD128'): Readonly<Record<Exclude<VideoEncoderChoice, 'auto' | 'libx264'>, VideoEncoder>> {
  return {
    vaapi: { name: 'h264_vaapi', inputArgs: ['-init_hw_device', `vaapi=va:${renderNode}`, '-filter_hw_device', 'va'], upload: 'format=nv12,hwupload', args: [] },
    qsv: { name: 'h264_qsv', inputArgs: ['-init_hw_device', `vaapi=va:${renderNode}`, '-init_hw_device', 'qsv=qs@va', '-filter_hw_device', 'qs'], upload: 'format=nv12,hwupload=extra_hw_frames=64', args: [] },
    v4l2m2m: { name: 'h264_v4l2m2m', inputArgs: [], args: [] },
  };
}

/**
 * The encoder to use for `choice`: the chosen hardware one if its test encode works,
 * for `auto` the first that does (VAAPI, QSV, V4L2 M2M), else libx264. `warn` hears of a
 * chosen one that does not work.
 */
export async function findVideoEncoder(choice: VideoEncoderChoice, options: EncoderProbeOptions = {}, warn: (message: string) => void = () => {}): Promise<VideoEncoder> {
  if (choice === 'libx264') return LIBX264;
  const renderNode = options.renderNode ?? '/dev/dri/renderD128';
  const encoders = hardwareEncoders(renderNode);
  const hasRenderNode = await exists(renderNode);
  const hasVideoDevice = (await fs.readdir(options.videoDevices ?? '/dev').catch(() => [] as string[])).some((entry) => /^video\d+$/.test(entry));
  const candidates = (choice === 'auto' ? (['vaapi', 'qsv', 'v4l2m2m'] as const) : [choice]).filter((kind) => (kind === 'v4l2m2m' ? hasVideoDevice : hasRenderNode));
  for (const kind of candidates) {
    if (await testEncode(options.ffmpegPath ?? 'ffmpeg', encoders[kind])) return encoders[kind];
  }
  if (choice !== 'auto') warn(`the ${choice} encoder does not work on this machine (${choice === 'v4l2m2m' ? 'no working /dev/video device' : `no working ${renderNode}`}): converting with libx264`);
  return LIBX264;
}

/** One second of a test picture through the encoder, within 15 s. */
function testEncode(ffmpegPath: string, encoder: VideoEncoder): Promise<boolean> {
  const filters = ['format=yuv420p', ...(encoder.upload ? [encoder.upload] : [])].join(',');
  const args = ['-hide_banner', '-nostdin', '-v', 'error', ...encoder.inputArgs, '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '1', '-vf', filters, '-c:v', encoder.name, ...encoder.args, '-b:v', '1000000', '-f', 'null', '-'];
  return new Promise((resolve) => execFile(ffmpegPath, args, { timeout: 15_000 }, (error) => resolve(!error)));
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
