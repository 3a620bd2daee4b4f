// What the library knows of its files once it has probed them (ffprobe, in the
// background): durations, tracks, tags over names; search with accents folded;
// and the watch history: where to resume, what to continue, the next episode.
//
//   npm run build && node examples/know-the-library.ts [folder] [words to search]
import os from 'node:os';
import path from 'node:path';
import { consoleLogger, formatTime, MediaLibrary } from 'homebridge-nascast';

const folder = path.resolve(process.argv[2] ?? new URL('media', import.meta.url).pathname);
const words = process.argv.slice(3).join(' ') || 'tone';
const library = new MediaLibrary({
  roots: [{ name: path.basename(folder), path: folder }],
  storage: path.join(os.tmpdir(), 'nascast-example-index'), // the index: a restart knows it all at once
  watch: false,
  logger: consoleLogger(),
});
await library.start();

// Probing runs in the background, folders being browsed first; here we wait for all of it.
while (library.probing()?.running || (library.probing()?.probed ?? 0) < (library.probing()?.files ?? 0)) {
  if (library.probing()?.available === false) break; // no ffprobe: names and sizes only
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const progress = library.probing();
console.log(`${library.size} files, ${progress?.probed ?? 0} probed, ${progress?.failed ?? 0} unreadable`);

for (const item of library.items()) {
  const { names, info, problem } = library.details(item);
  const audio = info?.audio.map((track) => `${track.language ?? 'und'} ${track.codec} ${track.channels ?? '?'}ch`).join(', ') || 'none';
  console.log(`${item.path}\n  ${names.title} · ${formatTime(info?.duration)} · audio: ${audio}${problem ? ` · cannot play: ${problem}` : ''}`);
}

await library.settled(); // search catches up after a scan
console.log(`search "${words}": ${library.search(words).map((item) => item.name).join(', ') || 'nothing'}`);

// The history follows players' statuses; here we tell it one by hand.
const [first] = library.items();
if (first) {
  library.played(first, 125, 600);
  console.log(`resume ${first.name} at ${formatTime(library.resumeAt(first))}; continue watching: ${library.continueWatching().map((item) => item.name).join(', ')}`);
}
await library.close();
