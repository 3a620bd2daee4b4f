import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { runCli, runToEnd } from './helpers/cli.ts';
import { film } from './helpers/ffmpeg.ts';
import { tempDir, writeTree } from './helpers/media-server.ts';
import { startSimulator } from './helpers/simulator.ts';

// Real media (test/fixtures/film.mp4): the simulator probes what it is asked to play, as a device does.
const filmBytes = await film();

// A file of this machine named in `cast` plays through the server running here when it
// serves it, is refused when that server does not, and with no server is served from
// the command's own process only from a folder the user meant to share; `devices` and
// `ls` need no --media (issue 19 item 21).

function contentId(simulator: { mediaStatus(): Record<string, unknown> | undefined }): string | undefined {
  return (simulator.mediaStatus()?.media as { contentId?: string } | undefined)?.contentId;
}

async function served(t: ExecutionContext) {
  const media = await tempDir(t);
  await writeTree(media, { 'Films/Cartoons/Episode 1.mp4': filmBytes, 'Films/Cartoons/Episode 2.mp4': filmBytes, 'Films/Clip.mp4': filmBytes });
  const storage = path.join(await tempDir(t), 'config');
  const kitchen = await startSimulator(t, { name: 'Kitchen' });
  const server = runCli(t, ['serve', '--media', `Films=${media}/Films`, '--port', '0', '--host', '127.0.0.1', '--storage', storage, '--no-discovery', '--device', `Kitchen=${kitchen.host}:${kitchen.port}`]);
  const [, url] = await server.line(/^NasCast listening on (\S+)\n/m);
  return { media, storage, kitchen, server, url: url! };
}

test('cast of a file or folder in a folder the running server serves plays through that server, by its library path', async (t) => {
  const { media, storage, kitchen, url } = await served(t);
  const file = await runToEnd(t, ['cast', 'Kitchen', path.join(media, 'Films', 'Clip.mp4'), '--json', '--storage', storage]);
  t.is(file.code, 0, file.stderr);
  t.like(JSON.parse(file.stdout), { state: 'PLAYING', title: 'Clip', served: `the server at ${url.replace(/^http/, 'wss')}/control` });
  t.true(contentId(kitchen)?.startsWith(`${url}/media/`), contentId(kitchen));

  const folder = await runToEnd(t, ['cast', 'Kitchen', path.join(media, 'Films', 'Cartoons'), '--json', '--storage', storage]);
  t.is(folder.code, 0, folder.stderr);
  t.like(JSON.parse(folder.stdout), { title: 'Episode 1' });
  t.is((kitchen.mediaStatus()?.items as unknown[]).length, 2);

  // A link from elsewhere to a served file is that file.
  const links = await tempDir(t);
  await fs.symlink(path.join(media, 'Films', 'Clip.mp4'), path.join(links, 'Clip.mp4'));
  const linked = await runToEnd(t, ['cast', 'Kitchen', path.join(links, 'Clip.mp4'), '--json', '--storage', storage]);
  t.is(linked.code, 0, linked.stderr);
  t.like(JSON.parse(linked.stdout), { title: 'Clip', served: `the server at ${url.replace(/^http/, 'wss')}/control` });
});

test('cast of a file outside the folders the running server serves is refused, naming them', async (t) => {
  const { media, storage, kitchen } = await served(t);
  const elsewhere = await tempDir(t);
  await writeTree(elsewhere, { 'Holiday/Beach.mp4': filmBytes });
  const beach = path.join(elsewhere, 'Holiday', 'Beach.mp4');
  const refused = await runToEnd(t, ['cast', 'Kitchen', beach, '--storage', storage]);
  t.is(refused.code, 1);
  const films = await fs.realpath(path.join(media, 'Films'));
  t.is(refused.stderr, `nascast: ${beach} is not in a folder the nascast server running here serves (Films (${films})): cast a file from one of them, or add its folder to \`nascast serve --media\`\n`);
  t.is(kitchen.mediaStatus(), undefined, 'nothing was cast');
});

test('with no server, cast refuses a relative path that climbs out of the current folder, system folders, / and the home folder, before serving anything', async (t) => {
  const storage = await tempDir(t);
  const home = await tempDir(t);
  await writeTree(home, { 'film.mp4': filmBytes });
  const noDevices = ['--no-discovery', '--wait', '0', '--storage', storage];
  const passwd = path.relative(process.cwd(), '/etc/passwd');
  t.regex(passwd, /^\.\.\//);
  const cases: Array<[string, string]> = [
    [passwd, `nascast: ${passwd} leads out of the current folder with '..': name it by its full path (/etc/passwd) if you mean it\n`],
    ['/etc/passwd', 'nascast: /etc/passwd is in /etc, a system folder, and NasCast serves only folders you mean to share: copy it to a media folder, or name its folder with --media if you mean to share that\n'],
    ['/usr/bin', 'nascast: /usr/bin is in /usr, a system folder, and NasCast serves only folders you mean to share: copy it to a media folder, or name its folder with --media if you mean to share that\n'],
    ['/proc/cpuinfo', 'nascast: /proc/cpuinfo is in /proc, a system folder, and NasCast serves only folders you mean to share: copy it to a media folder, or name its folder with --media if you mean to share that\n'],
    ['/', 'nascast: casting / would serve all of / and every folder in it: put it in a folder of its own, or name a media folder with --media\n'],
  ];
  for (const [argument, message] of cases) {
    const run = await runToEnd(t, ['cast', 'T', argument, ...noDevices], {}, 10_000);
    t.is(run.code, 1, argument);
    t.is(run.stderr, message, argument);
  }
  const inHome = path.join(home, 'film.mp4');
  const run = await runToEnd(t, ['cast', 'T', inHome, ...noDevices], { HOME: home }, 10_000);
  t.is(run.code, 1);
  t.is(run.stderr, `nascast: casting ${inHome} would serve all of ${await fs.realpath(home)} (your home folder) and every folder in it: put it in a folder of its own, or name a media folder with --media\n`);
});

test('with no server, cast serves a file named through .. that stays in the current folder, and one in a --media folder from that folder', async (t) => {
  const storage = await tempDir(t);
  const tv = await startSimulator(t, { name: 'Den' });
  const device = ['--device', `Den=${tv.host}:${tv.port}`, '--no-discovery', '--storage', storage];
  const relative = path.join('test', '..', 'examples', 'media', 'Films', 'Test Pattern.mp4');
  const run = await runToEnd(t, ['cast', 'Den', relative, '--json', ...device]);
  t.is(run.code, 0, run.stderr);
  t.like(JSON.parse(run.stdout), { title: 'Test Pattern', served: 'in this process' });
  // In a --media folder: played from it, not from a second root of the same name.
  const inMedia = await runToEnd(t, ['cast', 'Den', path.resolve('examples/media/Films/Test Pattern.mp4'), '--media', 'Samples=examples/media', '--json', ...device]);
  t.is(inMedia.code, 0, inMedia.stderr);
  t.like(JSON.parse(inMedia.stdout), { title: 'Test Pattern' });
});

test('with no server and no --media, devices lists what it finds, device commands work and a URL plays; ls and a library path say there is no library', async (t) => {
  const storage = await tempDir(t);
  const kitchen = await startSimulator(t, { name: 'Kitchen' });
  const device = ['--device', `Kitchen=${kitchen.host}:${kitchen.port}`, '--no-discovery', '--storage', storage];
  const devices = await runToEnd(t, ['devices', '--json', '--wait', '2', ...device]);
  t.is(devices.code, 0, devices.stderr);
  t.like(JSON.parse(devices.stdout), [{ name: 'Kitchen', kind: 'chromecast', online: true }]);
  const volume = await runToEnd(t, ['volume', 'Kitchen', '30', ...device]);
  t.is(volume.code, 0, volume.stderr);
  t.is(kitchen.volume.level, 0.3);

  const ls = await runToEnd(t, ['ls', '--no-discovery', '--storage', storage], {}, 10_000);
  t.is(ls.code, 1);
  t.is(ls.stderr, 'nascast: there is no library: no `nascast serve` runs here, and no --media folder was given: start `nascast serve --media <dir>`, or give --media <dir>\n');
  const libraryPath = await runToEnd(t, ['cast', 'Kitchen', 'Films/Clip.mp4', ...device]);
  t.is(libraryPath.code, 1);
  t.regex(libraryPath.stderr, /^nascast: there is no library/);

  // A URL needs no library.
  const clip = await fs.readFile('examples/media/Films/Test Pattern.mp4');
  const web = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': clip.length });
    response.end(request.method === 'HEAD' ? undefined : clip);
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => web.close(() => resolve())));
  const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}/clip.mp4`;
  const cast = await runToEnd(t, ['cast', 'Kitchen', url, '--json', ...device]);
  t.is(cast.code, 0, cast.stderr);
  t.like(JSON.parse(cast.stdout), { state: 'PLAYING', served: 'in this process' });
  t.is(contentId(kitchen), url);
});
