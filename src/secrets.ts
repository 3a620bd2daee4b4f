import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errnoCode, errorMessage, SecretsError } from './errors.ts';

/** The install's secrets: never logged, kept in a 0600 file. */
export interface Secrets {
  /** Bearer token for the API and the control channel. */
  readonly token: string;
  /** Key for the HMAC of media grants and for media ids. Not rotated with the token. */
  readonly signingKey: Buffer;
}

/** The shortest signing key accepted: the HMAC of grants and media ids is only as strong as it. */
export const MIN_SIGNING_KEY_BYTES = 32;

/** The name of the secrets file inside the storage folder. */
export const SECRETS_FILE = 'nascast-secrets.json';

/** The CLI's storage folder: `$XDG_CONFIG_HOME/nascast`, else `~/.config/nascast`. */
export function defaultStorageDir(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'nascast');
}

/** A new random token: 32 bytes, base64url. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** More than a secrets file holds (about 130 bytes): such a file is not read. */
const MAX_SECRETS_BYTES = 4096;

/** How {@link loadSecrets} reports what does not stop it. */
export interface LoadSecretsOptions {
  /** Called with a problem that does not stop the load. Default: `process.emitWarning`. */
  warn?: (message: string) => void;
}

/**
 * Reads the secrets from `<storageDir>/nascast-secrets.json`, making them (and the
 * folder) at first start. The file is written with mode 0600, and a looser mode
 * found on an existing file is tightened where the folder allows it (a read-only one
 * gets a warning). A file that is not a regular file, or larger than a few KiB, is
 * refused without being read: a FIFO there would otherwise block the start for good.
 */
export async function loadSecrets(storageDir: string, options: LoadSecretsOptions = {}): Promise<Secrets> {
  const file = path.join(storageDir, SECRETS_FILE);
  const warn = options.warn ?? ((message: string) => process.emitWarning(message));
  const stored = await readSecrets(file, warn);
  if (stored) return stored;
  const secrets: Secrets = { token: generateToken(), signingKey: randomBytes(32) };
  await saveSecrets(storageDir, secrets);
  return secrets;
}

/** The stored secrets, or undefined if there is no file. */
async function readSecrets(file: string, warn: (message: string) => void): Promise<Secrets | undefined> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw new SecretsError(`cannot read ${file}: ${errorMessage(error)}`, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new SecretsError(`${file} is not a regular file (it is ${kindOf(stats)}): NasCast keeps its secrets in a regular file there`);
    const buffer = Buffer.alloc(MAX_SECRETS_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_SECRETS_BYTES) throw new SecretsError(`${file} is damaged (larger than ${MAX_SECRETS_BYTES} bytes): delete it to make new secrets`);
    const secrets = parseSecrets(file, buffer.subarray(0, bytesRead).toString('utf8'));
    if ((stats.mode & 0o077) !== 0) {
      // The secrets are readable all the same: a folder mounted read-only must not stop the start.
      await handle.chmod(0o600).catch((error: unknown) => warn(`cannot tighten ${file} to mode 0600 (${errnoCode(error) ?? errorMessage(error)}): other users on this machine may be able to read the token`));
    }
    return secrets;
  } catch (error) {
    if (error instanceof SecretsError) throw error;
    throw new SecretsError(`cannot read ${file}: ${errorMessage(error)}`, { cause: error });
  } finally {
    await handle.close();
  }
}

function parseSecrets(file: string, text: string): Secrets {
  let parsed: { token?: unknown; signingKey?: unknown };
  try {
    parsed = JSON.parse(text) as { token?: unknown; signingKey?: unknown };
  } catch (error) {
    throw new SecretsError(`cannot read ${file}: ${errorMessage(error)}`, { cause: error });
  }
  if (typeof parsed?.token !== 'string' || parsed.token.length < 16 || typeof parsed.signingKey !== 'string') {
    throw new SecretsError(`${file} is damaged: delete it to make new secrets`);
  }
  const signingKey = Buffer.from(parsed.signingKey, 'base64url');
  if (signingKey.length < MIN_SIGNING_KEY_BYTES) {
    // A short key (or "") lets anyone compute media ids and grants.
    throw new SecretsError(`${file} has a signing key of ${signingKey.length} bytes, and at least ${MIN_SIGNING_KEY_BYTES} are needed: delete the file and start NasCast again to make new secrets (the API token changes too)`);
  }
  return { token: parsed.token, signingKey };
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'something else';
}

/** Writes the secrets file atomically with mode 0600. */
export async function saveSecrets(storageDir: string, secrets: Secrets): Promise<void> {
  const file = path.join(storageDir, SECRETS_FILE);
  try {
    await makeFolder(storageDir);
    const temporary = `${file}.${process.pid}.tmp`;
    const body = JSON.stringify({ token: secrets.token, signingKey: secrets.signingKey.toString('base64url') }, null, 2);
    await fs.writeFile(temporary, body + '\n', { mode: 0o600 });
    await fs.rename(temporary, file);
  } catch (error) {
    throw new SecretsError(`cannot write ${file}: ${errorMessage(error)}`, { cause: error });
  }
}

/**
 * Makes `dir` and its missing parents with one mkdir each. `fs.mkdir`'s recursive mode
 * retries for ever where mkdir fails with ENOENT under a parent that exists (/proc).
 */
async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const exists = await fs.stat(at).then(
      () => true,
      (error: unknown) => errnoCode(error) !== 'ENOENT',
    );
    if (exists || path.dirname(at) === at) break;
    missing.unshift(at);
  }
  for (const folder of missing) {
    await fs.mkdir(folder, { mode: 0o700 }).catch((error: unknown) => {
      if (errnoCode(error) !== 'EEXIST') throw error;
    });
  }
}
