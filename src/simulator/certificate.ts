import { generate } from 'selfsigned';

/** A key and a self-signed certificate for the simulator's TLS server (senders do not verify it, as with real devices). */
export async function selfSignedCertificate(commonName: string): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    notAfterDate: new Date(Date.now() + 2 * 86_400_000),
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
  });
  return { key: pems.private, cert: pems.cert };
}
