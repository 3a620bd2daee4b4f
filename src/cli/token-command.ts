// `nascast token`: the token the server running here takes. The stored one, unless that
// server was given its own (--token, --token-file, $NASCAST_TOKEN): then the stored one
// would be refused, and that server's is not ours to show (the note says only how it
// was given, never the token), so the command says where it is.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { consoleLogger, defaultStorageDir, generateToken, loadSecrets, saveSecrets } from '../api.ts';
import { runningServers, type RunningServer } from './server-file.ts';

/** Adds `nascast token`. */
export function tokenCommand(program: Command): void {
  program
    .command('token')
    .description('show the API token, or make a new one')
    .option('--rotate', 'replace the token (restart `nascast serve`; the old one stops working)')
    .option('--storage <dir>', 'the folder of the token file', defaultStorageDir())
    .option('--json', 'print JSON')
    .addHelpText('after', "\nExamples:\n  $ nascast token\n  $ nascast token --rotate\n\nWith `nascast serve` running here on a token of its own (--token, --token-file or\n$NASCAST_TOKEN), `nascast token` does not show the stored one, which that server refuses:\nit says where that server's token was given.")
    .action(async (options: { json?: boolean; rotate?: boolean; storage: string }) => {
      const logger = consoleLogger();
      if (!options.rotate) {
        const servers = await runningServers(options.storage);
        const given = servers.filter((server) => server.tokenGiven !== undefined);
        // Only where no server here takes the stored token: where one does, it is its token.
        if (given.length > 0 && given.length === servers.length) throw new Error(given.map(elsewhere).join('; '));
        for (const server of given) logger.warn(elsewhere(server));
      }
      const secrets = await loadSecrets(options.storage, { warn: (message) => logger.warn(message) });
      // A new signing key too: grants handed out with the old one end with the token.
      const next = options.rotate ? { token: generateToken(), signingKey: randomBytes(32) } : secrets;
      if (options.rotate) await saveSecrets(options.storage, next);
      if (options.json) console.log(JSON.stringify({ token: next.token, rotated: Boolean(options.rotate), storage: options.storage }, null, 2));
      else console.log(next.token);
      if (options.rotate) console.error('The token was replaced: restart `nascast serve` (and update Homebridge and your scripts) to use it.');
    });
}

/** Where a server's own token is, in words. */
function elsewhere(server: RunningServer): string {
  const given = server.tokenGiven!;
  const file = /^--token-file (.*)$/s.exec(given)?.[1];
  const where = file !== undefined ? `it is the first line of ${file} (--token-file)` : given === '--token' ? 'it is on its command line (--token)' : given === '$NASCAST_TOKEN' ? 'it is in its environment ($NASCAST_TOKEN)' : `it was given with ${given}`;
  return `the server running here at ${server.url} (pid ${server.pid}) takes a token of its own, not the stored one, so it is not shown: ${where}`;
}
