import fs from 'node:fs/promises';
import test from 'ava';
import * as errors from '../src/errors.ts';
import { CONTROL_ERROR_CODES } from '../src/protocol/index.ts';

const readme = await fs.readFile(new URL('../README.md', import.meta.url), 'utf8');

/** The rows of the first Markdown table after `heading`, as arrays of cells with their backticks removed. */
function tableAfter(heading: string): string[][] {
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`README.md has no '${heading}'`);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, '')));
  }
  return rows;
}

// Every class the errors module exports that descends from NasCastError, made with
// placeholder arguments: each one's code is a class field, the same whatever they are.
const classes = Object.entries(errors).flatMap(([name, value]) =>
  typeof value === 'function' && value.prototype instanceof errors.NasCastError ? [{ name, error: Reflect.construct(value, ['x', 'y']) as errors.NasCastError }] : [],
);

test('the README lists every error class with its code and its control-channel code, and nothing else', (t) => {
  const documented = tableAfter('## Error codes').map(([code, name, controlCode]) => ({ code, name, controlCode }));
  const actual = classes
    .filter(({ error }) => !(error instanceof errors.ControlError))
    .map(({ name, error }) => ({ code: error.code, name, controlCode: errors.controlCodeOf(error) }));
  const byName = (a: { name?: string }, b: { name?: string }): number => (a.name ?? '').localeCompare(b.name ?? '');
  t.deepEqual(documented.sort(byName), actual.sort(byName));
  for (const { name, error } of classes) t.is(error.name, name, `${name} names itself`);
});

test('the README lists every control-channel error code, and CLOSED for the client side', (t) => {
  const documented = tableAfter('Error codes (`error.code`').map(([code]) => code);
  t.deepEqual(documented.sort(), [...CONTROL_ERROR_CODES, 'CLOSED'].sort());
});

test('control-channel codes come from the one table: ControlErrors keep theirs, anything else is INTERNAL', (t) => {
  t.is(errors.controlCodeOf(new errors.ControlError('UNKNOWN_DEVICE', 'no device')), 'UNKNOWN_DEVICE');
  t.is(errors.controlCodeOf(new errors.ControlError('CLOSED', 'closed')), 'INTERNAL');
  t.is(errors.controlCodeOf(new errors.MediaNotFoundError('abc')), 'UNKNOWN_MEDIA');
  t.is(errors.controlCodeOf(new Error('plain')), 'INTERNAL');
  t.is(errors.controlCodeOf('a string'), 'INTERNAL');
  t.is(errors.errorMessage(new errors.NotStartedError()), 'NasCast has not started: await start() first');
  t.is(errors.errorMessage(42), '42');
});
