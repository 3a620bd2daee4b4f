// `nascast info <media>`: what a library file holds (as probed) and what NasCast does to it
// on each device (or one, with --for): played as it is, repackaged or converted, and why.
import type { Command } from 'commander';
import { audioName, formatTime, languageName, videoName, type Explanation, type MediaInfo } from '../api.ts';
import { withTarget, withTargetOptions, type TargetOptions } from './target.ts';

interface InfoOptions extends TargetOptions {
  /** The device to decide for (`--device` names a Chromecast by address for every command). */
  for?: string;
  audio?: string;
  subtitles?: string;
  json?: boolean;
}

const MODES: Readonly<Record<string, string>> = {
  direct: 'plays it as it is',
  remux: 'repackages it (streams copied)',
  audio: 'converts the audio',
  video: 'converts the video',
};

/** The file's streams, a line each. */
export function mediaLines(media: MediaInfo | null): string[] {
  if (!media) return ['  not probed yet (or ffprobe is not installed): its streams are not known'];
  const lines = [`  ${[media.container?.split(',')[0], media.duration === undefined ? undefined : formatTime(media.duration), media.bitrate ? `${Math.round(media.bitrate / 1000)} kb/s` : undefined].filter(Boolean).join(', ')}`];
  for (const video of media.video) lines.push(`  video     ${[videoName(video), video.width && video.height ? `${video.width}x${video.height}` : undefined, video.frameRate ? `${video.frameRate} fps` : undefined, video.bitDepth && video.bitDepth > 8 ? `${video.bitDepth}-bit` : undefined, video.hdr?.toUpperCase()].filter(Boolean).join(', ')}`);
  for (const audio of media.audio) lines.push(`  audio     ${audioName(audio)}, ${languageName(audio.language)}${audio.title ? ` (${audio.title})` : ''}${audio.default ? ', default' : ''}`);
  for (const subtitle of media.subtitles) lines.push(`  subtitles ${languageName(subtitle.language)} (${subtitle.codec}${subtitle.text ? '' : ', a picture'})${subtitle.forced ? ', forced' : ''}${subtitle.default ? ', default' : ''}`);
  return lines;
}

/** What is done for each device, with its reasons. */
export function decisionLines(explanation: Explanation): string[] {
  if (explanation.decisions.length === 0) return ['No device is online to decide for (name one with --for).'];
  return explanation.decisions.flatMap((decision) => [`${decision.name} (${decision.profile}): NasCast ${MODES[decision.mode] ?? decision.mode}`, ...decision.reasons.map((reason) => `  - ${reason}`)]);
}

/** Adds `nascast info`. */
export function infoCommand(program: Command): void {
  withTargetOptions(program.command('info <media...>').description('what a library file holds, and what NasCast does to it on each device (plays it as it is, or converts it) and why'))
    .option('--for <device>', 'only this device (by name or id)')
    .option('--audio <lang>', 'with this audio language')
    .option('-s, --subtitles <lang>', 'with these subtitles shown (picture subtitles are burned in)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ nascast info "Films/Up (2009).mkv"\n  $ nascast info "Films/Up (2009).mkv" --for "Living Room TV" --audio fr')
    .action(async (words: string[], options: InfoOptions) => {
      await withTarget(options, async (target) => {
        const explanation = await target.explain(words.join(' '), { ...(options.for && { device: options.for }), ...(options.audio && { audio: options.audio }), ...(options.subtitles && { subtitles: options.subtitles }) });
        if (options.json) return console.log(JSON.stringify(explanation, null, 2));
        console.log([explanation.name, ...mediaLines(explanation.media), '', ...decisionLines(explanation)].join('\n'));
      });
    });
}
