import { extensionOf } from './media-types.ts';

/**
 * Splits a subtitle file name into the video base name it belongs to and its
 * language: `Film.srt` → (`Film`, undefined), `Film.en.vtt` → (`Film`, `en`),
 * `Film.pt-BR.forced.srt` → (`Film`, `pt-BR`).
 */
export function parseSubtitleName(name: string): { base: string; lang: string | undefined } {
  const stem = name.slice(0, name.length - extensionOf(name).length - 1);
  const parts = stem.split('.');
  // Tags people put after the language: they are not languages themselves.
  const flags = new Set(['forced', 'sdh', 'cc', 'hi', 'default']);
  while (parts.length > 1 && flags.has(parts.at(-1)!.toLowerCase())) parts.pop();
  const last = parts.at(-1)!;
  if (parts.length > 1 && /^[a-z]{2,3}([-_][A-Za-z0-9]{2,4})?$/i.test(last)) {
    parts.pop();
    return { base: parts.join('.'), lang: normaliseLang(last) };
  }
  return { base: parts.join('.'), lang: undefined };
}

function normaliseLang(tag: string): string {
  const [primary, region] = tag.split(/[-_]/);
  return region ? `${primary!.toLowerCase()}-${region.toUpperCase()}` : primary!.toLowerCase();
}

/** The name of a video without its extension, for matching subtitles to it. */
export function stemOf(name: string): string {
  const extension = extensionOf(name);
  return extension ? name.slice(0, name.length - extension.length - 1) : name;
}
