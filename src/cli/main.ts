#!/usr/bin/env node
import './limit-heap.ts'; // first: ES modules run in import order
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { errorMessage } from '../api.ts';
import { castCommand } from './cast.ts';
import { controlCommands } from './control-commands.ts';
import { infoCommand } from './info-command.ts';
import { libraryCommands } from './library-commands.ts';
import { UsageError } from './options.ts';
import { serveCommand } from './serve.ts';
import { simulateCommand } from './simulate.ts';

// A reader that goes away (`nascast ls | head`) is not an error: stop quietly, as cat does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// The package's own manifest, by its name: the same from src/ and dist/src/, and installed.
const { version } = JSON.parse(readFileSync(new URL(import.meta.resolve('homebridge-nascast/package.json')), 'utf8')) as { version: string };

const program = new Command()
  .name('nascast')
  .description('Cast the media on your NAS to Chromecasts.')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

serveCommand(program);
castCommand(program);
controlCommands(program);
libraryCommands(program);
infoCommand(program);
simulateCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; usage mistakes exit 2 (commander printed them).
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof InvalidArgumentError) {
    process.exitCode = 2;
  } else if (error instanceof UsageError) {
    console.error(`nascast: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(`nascast: ${errorMessage(error)}`);
    process.exitCode = 1;
  }
}
