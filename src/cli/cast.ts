// `nascast cast <device> <media>`: play, then follow with a live progress line until Ctrl-C.
import { isatty } from 'node:tty';
import { Option, type Command } from 'commander';
import { consoleLogger, errorMessage, type MediaPlayer, NasCastError, PathOutsideRootError, type PlayerStatus, positionNow } from '../api.ts';
import { parseStart, progressLine } from './format.ts';
import { nasCastTarget } from './in-process.ts';
import { describeRoots, libraryPathIn, localPath, servedFromHere } from './local-media.ts';
import { untilSignal, UsageError } from './options.ts';
import { runningServers } from './server-file.ts';
import { notedServerTarget, openTarget, withTargetOptions, type Target, type TargetOptions } from './target.ts';

interface CastOptions extends TargetOptions {
  subtitles?: string;
  start?: number;
  stopOnExit?: boolean;
  follow: boolean;
  json?: boolean;
}

/** A path-looking argument that is not on disk: say so rather than "not in the library". */
class MissingFileError extends NasCastError {
  readonly code = 'ERR_MEDIA_NOT_FOUND';
  override name = 'MissingFileError';

  constructor(argument: string) {
    super(`no file or folder at ${argument}`);
  }
}

/** Adds `nascast cast`. */
export function castCommand(program: Command): void {
  withTargetOptions(program.command('cast <device> <media>').description('play a file or folder of this machine, a library path or media id, or a URL on a device'))
    .option('-s, --subtitles <lang>', 'turn on the subtitles of this language (en, fr, …)')
    .addOption(new Option('--start <time>', 'start at this time (90, 1:30)').argParser(parseStart))
    .option('--stop-on-exit', 'stop the media when this command ends (Ctrl-C)')
    .option('--no-follow', 'return once it plays, with no progress line')
    .option('--json', 'print the result as JSON, with no progress line')
    .addHelpText(
      'after',
      `
A folder plays as a queue, in natural order. A file or folder of this machine plays
through the \`nascast serve\` running here, by its library path, if it is in one of the
folders that server serves (and is refused if not). With no server running, NasCast
serves it from this process while the command runs (until Ctrl-C, or the end), but
never a system folder (/etc, /usr, …), a whole home folder or /, nor a relative path
whose '..' climbs out of the current folder.

Examples:
  $ nascast cast "Living Room TV" ~/Videos/Film.mp4 --subtitles en
  $ nascast cast Kitchen ~/Music/Album
  $ nascast cast Kitchen Films/Cartoons --start 1:30        (a library path, with nascast serve running)
  $ nascast cast Kitchen https://example.com/clip.mp4`,
    )
    .action(async (device: string, media: string, options: CastOptions) => {
      const local = await localPath(media);
      if (!local && /^(\/|\.\.?\/|~)/.test(media)) throw new MissingFileError(media);
      if (local && options.server) throw new UsageError(`${media} is a file on this machine, and ${options.server} plays its own library: give a library path (see \`nascast ls --server …\`), or leave out --server`);
      const { target, play } = local ? await localTarget(media, local, options) : { target: await openTarget(options), play: media };
      try {
        const player = await target.player(device);
        const result = await player.load(play, { ...(options.start ? { startAt: options.start } : {}), ...(options.subtitles ? { subtitles: options.subtitles } : {}) });
        const status = player.status();
        if (options.json) {
          console.log(JSON.stringify({ device, state: result.state, elapsedMs: Math.round(result.elapsedMs), title: status.media?.title, served: target.inProcess ? 'in this process' : target.where }, null, 2));
        } else {
          console.log(`Playing ${status.media?.title ? `"${status.media.title}"` : media} on ${device}`);
        }
        // Served from here, the media lives as long as this process: stay while it plays.
        const follow = !options.json && options.follow && (target.inProcess || isatty(1));
        if (follow) await followPlayback(player, target, options);
      } finally {
        await target.close();
      }
    });
}

/**
 * Where a file or folder of this machine plays from: the server running here that serves
 * it, by its library path (any that does can play it: the first by port, the same each
 * time); refused if servers run and none serves it; else served from this process.
 */
async function localTarget(argument: string, absolute: string, options: CastOptions): Promise<{ target: Target; play: string }> {
  const servers = await runningServers(options.storage);
  for (const server of servers) {
    const play = await libraryPathIn(absolute, server.roots);
    if (play !== undefined) return { target: await notedServerTarget(server, options), play };
  }
  if (servers.length > 0) {
    const which = servers.length === 1 ? 'the nascast server running here serves' : 'the nascast servers running here serve';
    throw new PathOutsideRootError(`${argument} is not in a folder ${which} (${describeRoots(servers.flatMap((server) => server.roots))}): cast a file from one of them, or add its folder to \`nascast serve --media\``);
  }
  const { root, libraryPath } = await servedFromHere(argument, absolute, options.media);
  const target = await nasCastTarget({ ...options, media: root ? [...options.media, root] : options.media }, consoleLogger({ debug: options.debug ?? false }));
  return { target, play: libraryPath };
}

/** The live progress line (or, off a terminal, a line per state) until Ctrl-C or the end of the media. */
async function followPlayback(player: MediaPlayer<string>, target: Target, options: CastOptions): Promise<void> {
  const tty = isatty(1);
  let status = player.status();
  let reportedAt = Date.now();
  let lastState = status.state;
  let sawPlaying = status.state === 'PLAYING';
  let finished: () => void = () => {};
  const ended = new Promise<void>((resolve) => (finished = resolve));
  const draw = (): void => {
    if (tty) process.stdout.write(`\r\x1b[2K${progressLine(status, positionNow(status, reportedAt), process.stdout.columns || 80)}`);
  };
  const onStatus = (next: PlayerStatus): void => {
    status = next;
    reportedAt = Date.now();
    if (next.state === 'PLAYING') sawPlaying = true;
    if (!tty && next.state !== lastState) console.log(`${next.state}${next.media?.title ? ` ${next.media.title}` : ''}${next.error ? ` (${next.error})` : ''}`);
    lastState = next.state;
    draw();
    if (sawPlaying && (next.state === 'IDLE' || next.state === 'ENDED' || next.state === 'ERROR')) finished();
  };
  let timer: NodeJS.Timeout | undefined;
  await untilSignal(consoleLogger(), {
    start: () => {
      player.on('status', onStatus);
      draw();
      if (tty) timer = setInterval(draw, 500);
      return Promise.resolve();
    },
    done: ended,
    stop: async () => {
      clearInterval(timer);
      player.off('status', onStatus);
      if (tty) process.stdout.write('\n');
      if (options.stopOnExit) {
        await player.stop().catch((error: unknown) => console.error(`nascast: could not stop: ${errorMessage(error)}`));
        console.log('Stopped.');
      } else if (target.inProcess && status.state !== 'IDLE' && status.state !== 'ENDED') {
        console.log('Left playing; it was served from this process, so it stops once the device has played what it fetched (run `nascast serve` to keep serving).');
      } else if (status.state === 'PLAYING' || status.state === 'PAUSED') {
        console.log('Left playing.');
      }
    },
  });
}
