// `nascast devices | ls | pause | resume | stop | next | prev | seek | volume | mute | status | token`.
import { isatty } from 'node:tty';
import type { Command } from 'commander';
import { consoleLogger, type DeviceSummary, formatSize, formatTime, type MediaPlayer, type PlayerStatus } from '../api.ts';
import { formatTable, parseLevel, parseTime, type LevelArgument, type TimeArgument } from './format.ts';
import { untilSignal } from './options.ts';
import { withTarget, withTargetOptions, type Target, type TargetOptions } from './target.ts';
import { tokenCommand } from './token-command.ts';

interface JsonOption {
  json?: boolean;
}

function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

function devicesTable(devices: readonly DeviceSummary[]): string {
  if (devices.length === 0) return 'No devices found.';
  return formatTable([['NAME', 'KIND', 'ONLINE', 'ID'], ...devices.map((device) => [device.name, device.kind, device.online ? 'yes' : 'no', device.id])]);
}

function statusText(device: string, status: PlayerStatus): string {
  const lines = [`${device}: ${status.state}${status.error ? ` (${status.error})` : ''}`];
  if (status.media) lines.push(`  ${status.media.title ?? status.media.url}  ${formatTime(status.position)} / ${formatTime(status.duration)}`);
  lines.push(`  volume ${Math.round(status.volume * 100)}%${status.muted ? ' (muted)' : ''}`);
  return lines.join('\n');
}

/** A one-shot command on one device: open its player, act, close. */
function deviceCommand(program: Command, name: string, description: string, act: (player: MediaPlayer<string>) => Promise<void>, example: string): void {
  withTargetOptions(program.command(`${name} <device>`).description(description))
    .addHelpText('after', `\nExample:\n  $ ${example}`)
    .action(async (device: string, options: TargetOptions) => {
      await withTarget(options, async (target) => act(await target.player(device)));
    });
}

/** Adds the subcommands that drive devices and read the library. */
export function controlCommands(program: Command): void {
  withTargetOptions(program.command('devices').description('list the Chromecasts, Cast groups and browser screens found'))
    .option('-w, --watch', 'keep the table up to date until Ctrl-C')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ nascast devices\n  $ nascast devices --watch\n  $ nascast devices --json --wait 2')
    .action(async (options: TargetOptions & JsonOption & { watch?: boolean }) => {
      await withTarget(options, async (target) => {
        if (!options.watch) {
          const devices = await target.devices();
          return options.json ? printJson(devices) : console.log(devicesTable(devices));
        }
        await watchDevices(target, options.json ?? false);
      });
    });

  withTargetOptions(program.command('ls [folder]').description("list a library folder (the media folders' names with none)"))
    .option('--json', 'print JSON (the /api/library answer)')
    .addHelpText('after', '\nExamples:\n  $ nascast ls\n  $ nascast ls Films/Cartoons\n  $ nascast ls --media /mnt/nas/films films')
    .action(async (folder: string | undefined, options: TargetOptions & JsonOption) => {
      await withTarget(options, async (target) => {
        const listing = await target.list(folder);
        if (options.json) return printJson(listing);
        // TITLE is what the name says (release noise removed; see the README's "Titles from names").
        const rows = [
          ['NAME', 'TITLE', 'KIND', 'SIZE', 'PLAY WITH'],
          ...listing.folders.map((entry) => [`${entry.name}/`, '', 'folder', `${entry.count} items`, entry.path]),
          ...listing.items.map((item) => [item.name, item.title, item.kind, formatSize(item.size), `${listing.path}/${item.name}`]),
        ];
        console.log(rows.length > 1 ? formatTable(rows) : `${listing.path || 'The library'} is empty.`);
      });
    });

  deviceCommand(program, 'pause', 'pause what plays', (player) => player.pause(), 'nascast pause "Living Room TV"');
  deviceCommand(program, 'resume', 'resume paused media', (player) => player.play(), 'nascast resume "Living Room TV"');
  deviceCommand(program, 'stop', 'stop playing (the app stays on the TV)', (player) => player.stop(), 'nascast stop Kitchen');
  deviceCommand(program, 'next', 'the next item of the queue', (player) => player.next(), 'nascast next Kitchen');
  deviceCommand(program, 'prev', 'the previous item of the queue', (player) => player.prev(), 'nascast prev Kitchen');

  withTargetOptions(program.command('seek').description('go to a time, or move by +n / -n seconds').argument('<device>').argument('<time>', '90, 1:30, +30 or -10', parseTime))
    .addHelpText('after', '\nExamples:\n  $ nascast seek Kitchen 90\n  $ nascast seek Kitchen 1:30\n  $ nascast seek Kitchen +30\n  $ nascast seek Kitchen -- -10')
    .action(async (device: string, wanted: TimeArgument, options: TargetOptions) => {
      await withTarget(options, async (target) => {
        const player = await target.player(device);
        // A relative seek is measured where the device is (it may not have said lately).
        await ('absolute' in wanted ? player.seek(wanted.absolute) : player.seekBy(wanted.relative));
      });
    });

  withTargetOptions(program.command('volume').description('set the volume, 0-100, or change it by +n / -n').argument('<device>').argument('<level>', '0-100 (50 or 50%), +n or -n', parseLevel))
    .addHelpText('after', '\nExamples:\n  $ nascast volume Kitchen 30\n  $ nascast volume Kitchen +10\n  $ nascast volume Kitchen -- -10')
    .action(async (device: string, wanted: LevelArgument, options: TargetOptions) => {
      await withTarget(options, async (target) => {
        const player = await target.player(device);
        const next = 'absolute' in wanted ? wanted.absolute : Math.min(1, Math.max(0, player.status().volume + wanted.relative));
        await player.setVolume(Math.round(next * 100) / 100);
      });
    });

  withTargetOptions(program.command('mute <device>').description('mute, or with --off unmute'))
    .option('--off', 'unmute')
    .addHelpText('after', '\nExamples:\n  $ nascast mute Kitchen\n  $ nascast mute Kitchen --off')
    .action(async (device: string, options: TargetOptions & { off?: boolean }) => {
      await withTarget(options, async (target) => (await target.player(device)).setMuted(!options.off));
    });

  withTargetOptions(program.command('status <device>').description("what a device plays, where, and at what volume"))
    .option('-f, --follow', 'print each change until Ctrl-C')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ nascast status Kitchen\n  $ nascast status Kitchen --follow --json')
    .action(async (device: string, options: TargetOptions & JsonOption & { follow?: boolean }) => {
      await withTarget(options, async (target) => {
        const player = await target.player(device);
        const print = (status: PlayerStatus): void => (options.json ? console.log(JSON.stringify({ device, ...status })) : console.log(statusText(device, status)));
        print(player.status());
        if (!options.follow) return;
        await untilSignal(consoleLogger(), {
          start: () => Promise.resolve(void player.on('status', print)),
          stop: () => Promise.resolve(void player.off('status', print)),
        });
      });
    });

  tokenCommand(program);
}

/** `devices --watch`: redraws the table (or prints a JSON line) whenever the list changes. */
async function watchDevices(target: Target, json: boolean): Promise<void> {
  let last = '';
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const draw = async (): Promise<void> => {
    const devices = await target.devices().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    const text = devices instanceof Error ? `error: ${devices.message}` : json ? JSON.stringify(devices) : devicesTable(devices);
    if (text !== last) {
      last = text;
      if (json) console.log(text);
      else if (isatty(1)) process.stdout.write(`\x1b[H\x1b[2J${text}\n\n(updated ${new Date().toLocaleTimeString()}; Ctrl-C to stop)\n`);
      else console.log(`${text}\n`);
    }
    if (!stopped) timer = setTimeout(() => void draw(), 1000);
  };
  await untilSignal(consoleLogger(), {
    start: draw,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      return Promise.resolve();
    },
  });
}
