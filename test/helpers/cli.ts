import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';

/** The built command, as a user runs it. `npm test` builds first. */
export const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  /** Resolves with the first stdout line matching `pattern`; rejects on exit or after `ms`. */
  line(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** Runs `nascast <args>`; the process is killed when the test ends. */
export function runCli(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does)`);
  return runCommand(t, process.execPath, [CLI, ...args], env);
}

/** Runs `command <args>` (nascast under a wrapper, node with flags of its own); killed when the test ends. */
export function runCommand(t: ExecutionContext, command: string, args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env } });
  const result: CliProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    line(pattern, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const match = pattern.exec(result.stdout);
          if (match) {
            cleanup();
            resolve(match);
          }
          return Boolean(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no line matching ${pattern} within ${ms} ms; stdout: ${result.stdout} stderr: ${result.stderr}`));
        }, ms);
        const onExit = (): void => {
          if (check()) return;
          cleanup();
          reject(new Error(`exited before printing ${pattern}; stderr: ${result.stderr}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.off('close', onExit);
        };
        child.stdout.on('data', check);
        child.on('close', onExit);
        check();
      });
    },
  };
  child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return result;
}

/** The exit code; rejects if the process still runs after `ms` (the teardown kills it). */
export function exitedWithin(cli: CliProcess, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms; stdout: ${cli.stdout} stderr: ${cli.stderr}`)), ms);
  });
  return Promise.race([cli.exited, late]).finally(() => clearTimeout(timer));
}

/** What a command that ran to its end did. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `nascast <args>` to its end; rejects if it still runs after `ms` (the teardown kills it). */
export async function runToEnd(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv = {}, ms = 20_000): Promise<CliRun> {
  const cli = runCli(t, args, env);
  const code = await exitedWithin(cli, ms);
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

/** Where a `nascast serve` (HTTPS by default) said it listens, once it has. */
export interface ServedAddresses {
  /** Devices' address: plain HTTP, for media, /healthz and the receiver page. */
  readonly url: string;
  readonly port: number;
  /** People's and controllers' address (the API, the web page). */
  readonly httpsUrl: string;
  /** Its certificate's SHA-256 fingerprint, as --fingerprint takes it. */
  readonly fingerprint: string;
}

/** Waits for a `serve` run with HTTPS on (the default) to print its addresses. */
export async function servedAddresses(cli: CliProcess): Promise<ServedAddresses> {
  const [, url, port] = await cli.line(/^NasCast listening on (http:\/\/[^\s/]+:(\d+))\n/m);
  const [, httpsUrl, fingerprint] = await cli.line(/^HTTPS for the web page and controllers: (https:\/\/[^\s/]+:\d+)\/ \(certificate SHA-256 fingerprint ([0-9A-F:]{95}): pin it with --fingerprint\)\n/m);
  return { url: url!, port: Number(port), httpsUrl: httpsUrl!, fingerprint: fingerprint! };
}
