import net from 'node:net';
import type { Server } from 'node:http';

// The first byte of a TLS ClientHello (a handshake record).
const TLS_HANDSHAKE = 0x16;

/**
 * HTTP and HTTPS on one port: each connection's first byte says which server takes
 * it. One port keeps what people type and what devices fetch the same address:
 * devices fetch media over plain HTTP (Chromecasts refuse a self-signed
 * certificate), people and controllers use HTTPS and `wss://`.
 */
export function oneListener(plain: Server, secure: Server, idleMs: number): net.Server {
  return net.createServer((socket) => {
    const ignore = (): void => {};
    socket.on('error', ignore); // a reset before the first byte is nobody's business
    // A connection that says nothing is closed as an idle HTTP one would be.
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.off('error', ignore);
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
}
