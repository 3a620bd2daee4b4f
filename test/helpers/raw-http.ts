import http from 'node:http';
import https from 'node:https';

/** A response with its body as bytes. */
export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * A plain node:http request, so the test sees exactly what the server sent (no
 * client-side decoding or redirects) and can send any raw path.
 */
export function request(
  origin: string,
  pathAndQuery: string,
  options: { method?: string; headers?: http.OutgoingHttpHeaders; agent?: http.Agent } = {},
): Promise<RawResponse> {
  const url = new URL(origin);
  // https:// origins are the servers' self-signed certificates: pinning has tests of its own (cli-tls, control-tls).
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        ...(url.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
        host: url.hostname,
        port: url.port,
        path: pathAndQuery,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        // Resolved on 'close', not 'end': by then the socket is closed (or back in
        // the agent's pool), so a test that counts descriptors sees none in flight.
        req.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Starts a download and destroys it as soon as the first bytes arrive (or at once). */
export function abortedDownload(origin: string, path: string, range: string, immediately = false): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(`${origin}${path}`, { headers: { range }, agent: false }, (res) => {
      res.once('data', () => req.destroy());
      res.on('error', () => {});
      res.on('close', resolve);
    });
    req.on('error', () => resolve());
    req.on('close', resolve);
    if (immediately) setImmediate(() => req.destroy());
  });
}
