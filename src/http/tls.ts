import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, errnoCode, errorMessage, SecretsError } from '../errors.ts';

/** The certificate and key HTTPS and `wss://` use, and how clients pin it. */
export interface TlsMaterial {
  /** PEM. */
  readonly cert: string;
  /** PEM. */
  readonly key: string;
  /** SHA-256 of the certificate, `AB:CD:…`, as `ControlClient`'s `fingerprint` and `--fingerprint` take it. */
  readonly fingerprint: string;
  /** Made by NasCast at first start (browsers warn; clients pin its fingerprint). */
  readonly selfSigned: boolean;
}

/** Where the TLS material comes from: files of your own (a certificate from a CA), or a self-signed one kept in the storage folder. */
export interface TlsOptions {
  /** A PEM certificate file (with its chain). With `key`. */
  readonly certFile?: string;
  /** Its PEM private key file. */
  readonly keyFile?: string;
}

/** The files a self-signed certificate is kept in, in the storage folder. */
export const TLS_CERT_FILE = 'nascast-cert.pem';
export const TLS_KEY_FILE = 'nascast-key.pem';

// Where the storage folder cannot take a file, for lack of rights rather than by mistake.
const UNWRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

// Certificates and keys are small: more is not read.
const MAX_PEM_BYTES = 64 * 1024;

/**
 * The certificate and key: the files given, or the self-signed pair in `storage`,
 * made at first start (an EC P-256 key, ten years, this machine's names and
 * addresses). A storage folder without write rights gets a pair for this run, with
 * a warning to `log`. Rejects with `ConfigError` for files that cannot be read or do
 * not match, `SecretsError` when the pair cannot be kept for another reason.
 */
export async function loadTls(options: TlsOptions, storage: string, log: { warn(message: string): void } = { warn: () => {} }): Promise<TlsMaterial> {
  if ((options.certFile === undefined) !== (options.keyFile === undefined)) throw new ConfigError('tls: give both a certificate file and its key file, or neither (NasCast then makes a self-signed pair)');
  if (options.certFile !== undefined && options.keyFile !== undefined) {
    return material(await readPem(options.certFile, 'certificate'), await readPem(options.keyFile, 'key'), false);
  }
  const certFile = path.join(storage, TLS_CERT_FILE);
  const keyFile = path.join(storage, TLS_KEY_FILE);
  if (!(await missing(certFile)) || !(await missing(keyFile))) return material(await readPem(certFile, 'certificate'), await readPem(keyFile, 'key'), true);
  const made = await selfSigned();
  try {
    await fs.mkdir(storage, { recursive: true, mode: 0o700 });
    await fs.writeFile(keyFile, made.key, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // A read-only storage folder (item 11: only the secrets are required) still serves
    // HTTPS; what it loses is a fingerprint that stays the same from one start to the next.
    if (!UNWRITABLE.has(errnoCode(error) ?? '')) throw new SecretsError(`cannot keep the self-signed certificate in ${storage}: ${errnoCode(error) ?? errorMessage(error)}`, { cause: error });
    log.warn(`cannot keep the self-signed certificate in ${storage} (${errnoCode(error)}): this run uses one made now, so its fingerprint changes at every start`);
    return material(made.cert, made.key, true);
  }
  try {
    await fs.writeFile(certFile, made.cert, { mode: 0o644, flag: 'wx' });
  } catch (error) {
    // Half a pair would stop the next start: the key goes too.
    await fs.rm(keyFile, { force: true }).catch(() => {});
    throw new SecretsError(`cannot keep the self-signed certificate in ${storage}: ${errnoCode(error) ?? errorMessage(error)}`, { cause: error });
  }
  return material(made.cert, made.key, true);
}

/** The SHA-256 fingerprint of a PEM certificate (`AB:CD:…`), as clients pin it. Throws `ConfigError` for what is not one. */
export function certificateFingerprint(pem: string): string {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch (error) {
    throw new ConfigError(`tls: the certificate is not a PEM certificate (${errorMessage(error)})`, { cause: error });
  }
}

function material(cert: string, key: string, selfSigned: boolean): TlsMaterial {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw new ConfigError(`tls: the certificate is not a PEM certificate (${errorMessage(error)})`, { cause: error });
  }
  if (!certificate.checkPrivateKey(keyObject(key))) throw new ConfigError('tls: the key does not belong to the certificate');
  return { cert, key, fingerprint: certificate.fingerprint256, selfSigned };
}

async function missing(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return false;
  } catch (error) {
    return errnoCode(error) === 'ENOENT';
  }
}

function keyObject(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new ConfigError(`tls: the key is not a PEM private key (${errorMessage(error)})`, { cause: error });
  }
}

/** A PEM file, read without blocking on a FIFO and bounded in size. */
async function readPem(file: string, what: string): Promise<string> {
  let handle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new ConfigError(`tls: cannot read the ${what} file ${file}: ${errnoCode(error) ?? errorMessage(error)}`, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > MAX_PEM_BYTES) throw new ConfigError(`tls: the ${what} file ${file} is not a PEM file of at most 64 KiB`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

async function selfSigned(): Promise<{ cert: string; key: string }> {
  const { generate } = await import('selfsigned');
  const host = os.hostname();
  const addresses = Object.values(os.networkInterfaces()).flatMap((entries) => entries ?? []).map((entry) => entry.address);
  const pems = await generate([{ name: 'commonName', value: `NasCast on ${host}` }], {
    notAfterDate: new Date(Date.now() + 10 * 365 * 86_400_000),
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: host }, { type: 2, value: `${host}.local` }, { type: 2, value: 'localhost' }, ...addresses.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
