// `nascast library | search | continue`: what the library knows, finds and remembers.
import { isatty } from 'node:tty';
import type { Command } from 'commander';
import { consoleLogger, formatTime, type ItemEntry, type LibraryStatus } from '../api.ts';
import { formatTable } from './format.ts';
import { untilSignal } from './options.ts';
import { withTarget, withTargetOptions, type TargetOptions } from './target.ts';

interface JsonOption {
  json?: boolean;
}

const BAR_WIDTH = 30;

/** One line: how many files, how many probed (with a bar on a terminal), how many unreadable. */
export function statusLine(status: LibraryStatus, bar: boolean): string {
  const count = (value: number): string => value.toLocaleString('en-US');
  const parts = [`${count(status.media)} media files${status.scanning ? ' (checking the disk)' : ''}`];
  const probing = status.probing;
  if (!probing) parts.push('probing is off');
  else if (!probing.available) parts.push('not probed: ffprobe is not installed (install ffmpeg)');
  else {
    const share = probing.files === 0 ? 1 : probing.probed / probing.files;
    const done = Math.round(share * BAR_WIDTH);
    const meter = bar ? `[${'#'.repeat(done)}${'-'.repeat(BAR_WIDTH - done)}] ` : '';
    parts.push(`${meter}${Math.floor(share * 100)}% probed (${count(probing.probed)} of ${count(probing.files)})`);
    if (probing.failed > 0) parts.push(`${count(probing.failed)} unreadable`);
  }
  return parts.join(', ');
}

function isDone(status: LibraryStatus): boolean {
  return !status.scanning && (!status.probing || !status.probing.available || status.probing.probed >= status.probing.files);
}

function itemsTable(items: readonly ItemEntry[], extra: (item: ItemEntry) => string, heading: string): string {
  return formatTable([
    ['TITLE', 'KIND', heading, 'ID'],
    ...items.map((item) => [item.series ? `${item.series} ${episodeCode(item)} ${item.title}` : item.title, item.kind, extra(item), item.id]),
  ]);
}

function episodeCode(item: ItemEntry): string {
  const pad = (value: number | undefined): string => String(value ?? 0).padStart(2, '0');
  return item.episode === undefined ? '' : `S${pad(item.season)}E${pad(item.episode)}`;
}

/** Adds `library`, `search` and `continue`. */
export function libraryCommands(program: Command): void {
  withTargetOptions(program.command('library').description('how much of the library is indexed and probed; on a terminal, a progress bar until probing is done'))
    .option('--json', 'print JSON (the /api/status answer) once')
    .option('--once', 'print the state once, even on a terminal')
    .addHelpText('after', '\nExamples:\n  $ nascast library\n  $ nascast library --json')
    .action(async (options: TargetOptions & JsonOption & { once?: boolean }) => {
      await withTarget(options, async (target) => {
        let status = await target.libraryStatus();
        if (options.json) return console.log(JSON.stringify(status, null, 2));
        const live = isatty(1) && !options.once;
        if (!live) return console.log(statusLine(status, false));
        // Redrawn in place until probing is done; Ctrl-C leaves the last line standing.
        let stopped = false;
        const follow = async (): Promise<void> => {
          while (!stopped && !isDone(status)) {
            process.stdout.write(`\r${statusLine(status, true)}\u001b[K`);
            await new Promise((resolve) => setTimeout(resolve, 500));
            if (!stopped) status = await target.libraryStatus();
          }
        };
        const done = follow();
        await untilSignal(consoleLogger(), { start: () => Promise.resolve(), stop: () => ((stopped = true), done), done });
        process.stdout.write(`\r${statusLine(status, true)}\u001b[K\n`);
      });
    });

  withTargetOptions(program.command('search <words...>').description('find library items by title, file name, series, artist or album'))
    .option('--json', 'print JSON (the /api/search answer)')
    .option('-n, --limit <n>', 'at most this many', (value) => Number.parseInt(value, 10), 20)
    .addHelpText('after', '\nExamples:\n  $ nascast search amelie\n  $ nascast search breaking bad s02\n  $ nascast search --json daft punk')
    .action(async (words: string[], options: TargetOptions & JsonOption & { limit: number }) => {
      await withTarget(options, async (target) => {
        const items = await target.search(words.join(' '), options.limit);
        if (options.json) return console.log(JSON.stringify({ query: words.join(' '), items }, null, 2));
        console.log(items.length === 0 ? `Nothing matches "${words.join(' ')}".` : itemsTable(items, (item) => formatTime(item.duration), 'DURATION'));
      });
    });

  withTargetOptions(program.command('continue').description('what was started and not finished, most recent first'))
    .option('--json', 'print JSON (the /api/continue answer)')
    .addHelpText('after', '\nExamples:\n  $ nascast continue\n  $ nascast cast "Living Room TV" <id from the list>')
    .action(async (options: TargetOptions & JsonOption) => {
      await withTarget(options, async (target) => {
        const items = await target.continueWatching();
        if (options.json) return console.log(JSON.stringify({ items }, null, 2));
        console.log(items.length === 0 ? 'Nothing to continue.' : itemsTable(items, (item) => `${formatTime(item.watched?.position)} / ${formatTime(item.duration)}`, 'WATCHED'));
      });
    });
}
