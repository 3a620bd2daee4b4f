// What NasCast does to each file of a folder on each kind of Cast device: plays it as it
// is, repackages it, or converts its sound or picture, and why in words. The decision is
// made from what ffprobe found and Google's table of what each model plays.
//
//   npm run build && node examples/what-each-device-gets.ts [folder]
import path from 'node:path';
import { DEVICE_MODELS, MediaLibrary, modelProfile, planPlayback } from 'homebridge-nascast';

const folder = path.resolve(process.argv[2] ?? new URL('media', import.meta.url).pathname);
const library = new MediaLibrary({ roots: [{ name: path.basename(folder), path: folder }], watch: false });
await library.start();
// Probing runs in the background: wait until each file is probed (or cannot be), a minute at most.
const unknown = (): boolean => [...library.items()].some((item) => library.details(item).info === undefined && library.details(item).problem === undefined);
for (const deadline = Date.now() + 60_000; unknown() && library.probing()?.available !== false && Date.now() < deadline; ) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}

const models = ['chromecast-3rd-gen', 'chromecast-google-tv', 'nest-hub', 'audio'] as const;
for (const item of library.items()) {
  console.log(item.path);
  const info = library.details(item).info;
  for (const id of models) {
    const plan = planPlayback({ kind: item.kind, name: item.name }, info, modelProfile(DEVICE_MODELS.get(id)!));
    console.log(`  ${DEVICE_MODELS.get(id)!.name}: ${plan.mode}${plan.reasons.length ? ` (${plan.reasons.join('; ')})` : ''}`);
  }
}
await library.close();
