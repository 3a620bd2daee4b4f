// Where a command takes the API token from: --token (which every user on the machine
// can read in `ps`, CWE-214), --token-file, or the NASCAST_TOKEN environment variable
// (readable only by the same user, in /proc/<pid>/environ).
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { errnoCode, errorMessage } from '../api.ts';
import { UsageError } from './options.ts';

/** The environment variable a token may come from. */
export const TOKEN_ENV = 'NASCAST_TOKEN';

/** The token options, as commander parses them. */
export interface TokenOptions {
  token?: string;
  tokenFile?: string;
}

// Longer than any token a line of a token file could hold; more is not read.
const MAX_FILE_BYTES = 4096;

/** Adds `--token` and `--token-file`; `what` says whose token it is. */
export function withTokenOptions(command: Command, what: string): Command {
  return command
    .option('--token <token>', `${what} (other users can see it in ps: prefer --token-file or $${TOKEN_ENV})`, parseToken)
    .option('--token-file <file>', `read ${what} from the first line of this file`);
}

/** The token given with --token, --token-file or $NASCAST_TOKEN, in that order; undefined if none is. */
export async function givenToken(options: TokenOptions, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (options.token !== undefined) return options.token;
  if (options.tokenFile !== undefined) return checked(await firstLine(options.tokenFile), `--token-file ${options.tokenFile}`);
  const fromEnv = env[TOKEN_ENV];
  return fromEnv === undefined || fromEnv === '' ? undefined : checked(fromEnv, `$${TOKEN_ENV}`);
}

/** How the token {@link givenToken} takes was given (`--token`, `--token-file <file>`, `$NASCAST_TOKEN`), never the token; undefined if none was. */
export function tokenSource(options: TokenOptions, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (options.token !== undefined) return '--token';
  if (options.tokenFile !== undefined) return `--token-file ${path.resolve(options.tokenFile)}`;
  return env[TOKEN_ENV] === undefined || env[TOKEN_ENV] === '' ? undefined : `$${TOKEN_ENV}`;
}

function parseToken(value: string): string {
  const problem = tokenProblem(value);
  if (problem) throw new InvalidArgumentError(`${problem}.`);
  return value;
}

function checked(token: string, source: string): string {
  const problem = tokenProblem(token);
  if (problem) throw new UsageError(`${source}: ${problem}`);
  return token;
}

// The stored tokens are 43 characters; the secrets file refuses fewer than 16.
function tokenProblem(token: string): string | undefined {
  if (token.length < 16) return 'a token has at least 16 characters (`nascast token` shows the stored one)';
  if (token.length > 512) return 'a token has at most 512 characters';
  if (/[\s\p{Cc}]/u.test(token)) return 'a token has no spaces or control characters';
  return undefined;
}

/** The first line of a regular file, read without blocking on a FIFO or reading a device without end. */
async function firstLine(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UsageError(`cannot read --token-file ${file}: ${errnoCode(error) ?? errorMessage(error)}`);
  }
  try {
    if (!(await handle.stat()).isFile()) throw new UsageError(`--token-file ${file} is not a regular file`);
    const buffer = Buffer.alloc(MAX_FILE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_FILE_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/, 1)[0]!.trim();
  } finally {
    await handle.close();
  }
}
