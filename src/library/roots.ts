import path from 'node:path';
import { ConfigError } from '../errors.ts';
import type { MediaRootConfig } from './model.ts';

/** The configured roots, checked: names unique, without `/`, paths absolute. */
export function validateRoots(roots: unknown): readonly MediaRootConfig[] {
  // Configuration comes from JSON people write by hand: check every field.
  if (!Array.isArray(roots) || roots.length === 0) throw new ConfigError('media: give at least one media folder');
  const names = new Set<string>();
  return (roots as unknown[]).map((root, index) => {
    const { name: rawName, path: rawPath } = (typeof root === 'object' && root !== null ? root : {}) as Record<string, unknown>;
    const name = typeof rawName === 'string' ? rawName.trim() : '';
    if (!name) throw new ConfigError(`media[${index}].name: a display name is required`);
    if (name.includes('/') || name.startsWith('.')) {
      throw new ConfigError(`media[${index}].name: '${name}' may not contain '/' or start with '.'`);
    }
    if (names.has(name)) throw new ConfigError(`media[${index}].name: '${name}' is used twice`);
    names.add(name);
    if (typeof rawPath !== 'string' || !path.isAbsolute(rawPath)) {
      throw new ConfigError(`media[${index}].path: '${String(rawPath)}' must be an absolute path`);
    }
    return { name, path: path.resolve(rawPath) };
  });
}
