import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';

// The parts, top to bottom, as README.md ("Architecture in brief") lists them: a part
// imports only parts below it. The lint rules hold the arrows the issue names (faces,
// simulator, browser-safe modules); this holds the whole order, so no folder cycle can start.
const ORDER = ['faces', 'api', 'players', 'control', 'http', 'media', 'discovery', 'cast', 'library', 'util', 'base'];
// The written-down exception: the package's default export registers the Homebridge platform.
const ALLOWED = new Set(['src/index.ts -> src/homebridge/register.ts']);

function partOf(file: string): string {
  const [top = ''] = path.relative('src', file).split(path.sep);
  if (top === 'homebridge' || top === 'cli') return 'faces';
  if (['nascast.ts', 'nascast-player.ts', 'api.ts', 'index.ts', 'display.ts'].includes(top)) return 'api';
  if (['signing.ts', 'secrets.ts', 'logger.ts', 'heap.ts', 'package-root.ts'].includes(top)) return 'util';
  if (top === 'errors.ts' || top === 'protocol') return 'base';
  return top;
}

test('imports point down the parts: no part imports one above it, and product code never imports the simulator', async (t) => {
  const files = (await fs.readdir('src', { recursive: true })).filter((file) => file.endsWith('.ts')).map((file) => path.join('src', file));
  const wrong: string[] = [];
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = path.join(path.dirname(file), match[1]!);
      const [from, to] = [partOf(file), partOf(target)];
      if (from === to || ALLOWED.has(`${file} -> ${target}`)) continue;
      if (from === 'simulator') {
        if (to === 'faces') wrong.push(`${file} -> ${target}`);
      } else if (to === 'simulator') {
        if (from !== 'faces') wrong.push(`${file} -> ${target}`);
      } else if (!ORDER.includes(from) || !ORDER.includes(to) || ORDER.indexOf(from) > ORDER.indexOf(to)) {
        wrong.push(`${file} (${from}) -> ${target} (${to})`);
      }
    }
  }
  t.deepEqual(wrong, []);
  t.true(files.length > 50, 'the source files were read');
});
