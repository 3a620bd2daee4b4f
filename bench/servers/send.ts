// The `send` package (what Express's static serving uses), for the benchmark.
import http from 'node:http';
import path from 'node:path';
import send from 'send';

const [folder = '.', port = '0'] = process.argv.slice(2);
const server = http.createServer((request, response) => {
  const name = decodeURIComponent((request.url ?? '/').split('?')[0]!.slice(1));
  send(request, path.join(folder, path.basename(name)))
    .on('error', (error: { status?: number }) => {
      response.statusCode = error.status ?? 500;
      response.end();
    })
    .pipe(response);
});
server.listen(Number(port), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(JSON.stringify({ port: address.port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
