import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errnoCode, SecretsError } from './errors.ts';

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

/**
 * Reads the secrets from `<storageDir>/nascast-secrets.json`, making them (and the
 * folder) at first start. The file is written with mode 0600, and a looser mode
 * found on an existing file is tightened.
 */
export async function loadSecrets(storageDir: string): Promise<Secrets> {
  const file = path.join(storageDir, SECRETS_FILE);
  try {
    const text = await fs.readFile(file, 'utf8');
    const parsed = JSON.parse(text) as { token?: unknown; signingKey?: unknown };
    if (typeof parsed.token !== 'string' || parsed.token.length < 16 || typeof parsed.signingKey !== 'string') {
      throw new SecretsError(`${file} is damaged: delete it to make new secrets`);
    }
    const signingKey = Buffer.from(parsed.signingKey, 'base64url');
    if (signingKey.length < MIN_SIGNING_KEY_BYTES) {
      // A short key (or "") lets anyone compute media ids and grants.
      throw new SecretsError(`${file} has a signing key of ${signingKey.length} bytes, and at least ${MIN_SIGNING_KEY_BYTES} are needed: delete the file and start NasCast again to make new secrets (the API token changes too)`);
    }
    const stats = await fs.stat(file);
    if ((stats.mode & 0o077) !== 0) await fs.chmod(file, 0o600);
    return { token: parsed.token, signingKey };
  } catch (error) {
    if (error instanceof SecretsError) throw error;
    if (errnoCode(error) !== 'ENOENT') {
      throw new SecretsError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  const secrets: Secrets = { token: generateToken(), signingKey: randomBytes(32) };
  await saveSecrets(storageDir, secrets);
  return secrets;
}

/** Writes the secrets file atomically with mode 0600. */
export async function saveSecrets(storageDir: string, secrets: Secrets): Promise<void> {
  const file = path.join(storageDir, SECRETS_FILE);
  try {
    await fs.mkdir(storageDir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    const body = JSON.stringify({ token: secrets.token, signingKey: secrets.signingKey.toString('base64url') }, null, 2);
    await fs.writeFile(temporary, body + '\n', { mode: 0o600 });
    await fs.rename(temporary, file);
  } catch (error) {
    throw new SecretsError(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
}
