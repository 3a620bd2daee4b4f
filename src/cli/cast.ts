// `nascast cast <device> <media>`: play, then follow with a live progress line until Ctrl-C.
import { isatty } from 'node:tty';
import { Option, type Command } from 'commander';
import { consoleLogger, ControlError, errorMessage, type MediaPlayer, NasCastError, PathOutsideRootError, type PlayerStatus, positionNow } from '../api.ts';
import { parseStart, progressLine } from './format.ts';
import { decisionLines } from './info-command.ts';
import { nasCastTarget } from './in-process.ts';
import { describeRoots, libraryPathIn, localPath, servedFromHere } from './local-media.ts';
import { untilSignal, UsageError } from './options.ts';
import { runningServers } from './server-file.ts';
import { notedServerTarget, openTarget, withTargetOptions, type Target, type TargetOptions } from './target.ts';

interface CastOptions extends TargetOptions {
  subtitles?: string;
  audio?: string;
  explain?: boolean;
  start?: number;
  fromStart?: boolean;
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

/** Words that find several library items: nothing plays, they are listed (exit 1). */
class AmbiguousMediaError extends NasCastError {
  readonly code = 'ERR_MEDIA_NOT_FOUND';
  override name = 'AmbiguousMediaError';
}

/** Adds `nascast cast`. */
export function castCommand(program: Command): void {
  withTargetOptions(program.command('cast <device> <media...>').description('play a file or folder of this machine, a library path or media id, words to search the library for, or a URL on a device'))
    .option('-s, --subtitles <lang>', 'turn on the subtitles of this language (en, fr, …)')
    .option('--audio <lang>', 'play the audio track of this language, for files with several (en, fr, …)')
    .option('--explain', 'first say what NasCast does to the file for this device (plays it as it is, or converts it) and why')
    .addOption(new Option('--start <time>', 'start at this time (90, 1:30)').argParser(parseStart).conflicts('fromStart'))
    .option('--from-start', 'start from the beginning, not where it was left last time')
    .option('--stop-on-exit', 'stop the media when this command ends (Ctrl-C)')
    .option('--no-follow', 'return once it plays, with no progress line')
    .option('--json', 'print the result as JSON, with no progress line')
    .addHelpText(
      'after',
      `
A library item started before resumes where it was left (--from-start: from the
beginning). Words that name no path or id search the library: the match plays when
exactly one fits; otherwise the matches are listed and nothing plays (exit 1).

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
  $ nascast cast Kitchen https://example.com/clip.mp4
  $ nascast cast "Living Room TV" amelie                    (searches the library)`,
    )
    .action(async (device: string, words: string[], options: CastOptions) => {
      const media = words.join(' ');
      const local = await localPath(media);
      if (!local && /^(\/|\.\.?\/|~)/.test(media)) throw new MissingFileError(media);
      if (local && options.server) throw new UsageError(`${media} is a file on this machine, and ${options.server} plays its own library: give a library path (see \`nascast ls --server …\`), or leave out --server`);
      const { target, play } = local ? await localTarget(media, local, options) : { target: await openTarget(options), play: media };
      try {
        const player = await target.player(device);
        const loadOptions = { ...(options.start !== undefined ? { startAt: options.start } : options.fromStart ? { startAt: 0 } : {}), ...(options.subtitles ? { subtitles: options.subtitles } : {}), ...(options.audio ? { audio: options.audio } : {}) };
        let played = play;
        const result = await player.load(play, loadOptions).catch(async (error: unknown) => {
          // Not a path or id: the words may name an item.
          if (local || !(error instanceof ControlError) || error.code !== 'UNKNOWN_MEDIA') throw error;
          played = await searchedItem(target, media, error);
          return player.load(played, loadOptions);
        });
        if (options.explain) await printDecision(target, played, device, options);
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

/** What was done to the file for the device, and why (a URL outside the library: nothing to say). */
async function printDecision(target: Target, media: string, device: string, options: CastOptions): Promise<void> {
  const explanation = await target.explain(media, { device, ...(options.audio && { audio: options.audio }), ...(options.subtitles && { subtitles: options.subtitles }) }).catch(() => undefined);
  if (explanation) console.log(decisionLines(explanation).join('\n'));
}

/** The one library item `words` find; with none, the first error stands; with several, they are listed. */
async function searchedItem(target: Target, words: string, notFound: ControlError): Promise<string> {
  const items = await target.search(words, 11).catch(() => []);
  if (items.length === 1) return items[0]!.id;
  if (items.length === 0) throw notFound;
  const shown = items.slice(0, 10).map((item) => `  ${item.series ? `${item.series}: ` : ''}${item.title}  (${item.id})`);
  throw new AmbiguousMediaError(`${items.length > 10 ? 'more than 10' : items.length} items match "${words}"; say which (more of its words, its path or its id):\n${shown.join('\n')}`);
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
