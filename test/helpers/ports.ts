import net from 'node:net';

/**
 * A loopback port free at this moment, for a config file that must name one before the
 * server it is for starts (Homebridge's, the plugin's). Servers of our own take port 0.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
