// Film names and release noise. The token lists follow Jellyfin's `CleanStrings`
// (Emby.Naming NamingOptions), Kodi's `m_videoCleanStringRegExps` and Sonarr's
// `SimpleTitleRegex` (see /work/research/issue21.md §5.3), in two strengths: strong
// tokens (resolutions, sources, codecs, audio, HDR) never appear in a real title and cut
// the name wherever they stand; weak ones (PROPER, GERMAN, WEB, TS…) are ordinary words
// too ("Charlotte's Web"), so they go only from the tail of a name already cut.

const SEP = String.raw`[ _,.()\[\]-]`;

const STRONG = [
  String.raw`(?:480|576|720|1080|1440|2160|4320)[pi]`, '4k', '8k', 'uhd', 'ultrahd', String.raw`hdr(?:10)?(?:\+|plus)?`, 'dolbyvision', 'dovi', 'hlg',
  '10bit', '10-bit', '8bit', 'hi10p', 'hsbs', 'htab',
  'bluray', 'blu-ray', 'bdrip', 'brrip', 'bdremux', 'remux', 'web-?dl', 'web-?rip', 'webdl', 'hdtv', 'hdtvrip', 'pdtv', 'dsrip', 'dvdrip', 'dvdscr', 'dvdscreener', 'hddvd', 'hdrip', 'hrhd', 'hrhdtv', 'dvd[59]?',
  String.raw`[xh]\.?26[45]`, 'hevc', 'xvid', 'xvidvd', 'divx5?', 'av1', 'vp9',
  String.raw`aac(?:[257]\.[01])?`, String.raw`e?ac-?3`, String.raw`ddp(?:[257]\.?[01])?`, String.raw`dd[257]\.?[01]`, 'dd\\+', String.raw`dts(?:-?hd(?:-?ma)?|-?hra|-?x|-?es)?`, 'truehd', 'atmos', 'dolbydigital',
  'amzn', 'dsnp', 'hmax', 'atvp', 'pcok',
];
const WEAK = [
  'proper', 'repack', 'rerip', 'internal', 'limited', 'unrated', 'uncut', 'extended', 'remastered', 'retail', 'multi', 'dual', 'subs?', 'dubbed',
  'dutch', 'german', 'french', 'swedish', 'italian', 'spanish', 'ntsc', 'pal', 'ws', 'fs', 'dc', 'se', 'cam', 'ts', 'tc', 'telesync', 'telecine', 'screener', 'r5',
  'web', 'nf', 'dv', 'avc', 'nfofix', String.raw`read\.nfo`, '3d', 'sbs', 'mvc', 'hulu', String.raw`[257]\.[01]`,
];

const STRONG_TOKEN = new RegExp(String.raw`(?<=^|${SEP})(?:${STRONG.join('|')})(?=${SEP}|$)`, 'i');
const TRAILING_WEAK = new RegExp(String.raw`${SEP}+(?:${WEAK.join('|')}|${STRONG.join('|')})${SEP}*$`, 'i');
/** A word that is a release token of either strength, for tests and callers that make names. */
export const RELEASE_WORD = new RegExp(String.raw`^(?:${WEAK.join('|')}|${STRONG.join('|')})$`, 'i');
/** Any release token standing alone between separators: what no cleaned title keeps. */
export const RELEASE_TOKEN = new RegExp(String.raw`(?:^|${SEP})(?:${STRONG.join('|')})(?=${SEP}|$)`, 'i');

// `[AMZN WEBDL-1080p]`-style groups must go before the token cut: the cut at `-1080p`
// inside a bracket would leave "Title [AMZN WEBDL" (the pitfall in the research, §5.3).
const BRACKETS = /\s*\[[^\]]*\]\s*/g;
const WEBSITE = /^\[\s*[-a-z]+(?:\.[a-z]+)+\s*\][- ]*|^www\.[a-z]+\.(?:com|net|org)[ ._-]*/i;
const TORRENT_SUFFIX = /\[(?:ettv|rartv|rarbg|cttv|eztv)\]$/i;
const YEAR = /(?<=[ _.([-])\(?((?:19|20)\d{2})\)?(?=[ _.)\]-]|$)/g;
/** The last year a name can carry: later four-digit numbers are part of the title ("Blade Runner 2049"). */
const LAST_YEAR = new Date().getFullYear() + 2;

/**
 * Spaces for the separators of a scene name (`The.Matrix`, `the_matrix`) and tidy
 * blanks. Dots stay in names that already have spaces ("Mr. Robot"). Idempotent.
 */
export function cleanName(text: string): string {
  // Stripped before the dots are judged, and again after: "x.y" reads the same whether
  // or not junk came before it (the idempotence property found ", !." otherwise).
  const strip = (value: string): string => value.replace(/\s+/g, ' ').replace(/^[\s.,_-]+|[\s,_-]+$/g, '').trim();
  const name = strip(text.replace(/_/g, ' '));
  // Not the dot of a number: "2.0", "Ocean's.8" → "Ocean's 8".
  return /\s/.test(name) ? name : strip(name.replace(/(?<!\d)\.+|\.+(?!\d)/g, ' '));
}

/** A name with release noise taken off: bracket groups, website prefixes, tokens and what follows them. */
export interface Cleaned {
  readonly title: string;
  readonly year?: number;
}

/**
 * A film's title and year from a file name without its extension:
 * `Title (2019)`, `Title.2019.1080p.BluRay.x264-GROUP`, `Title [AMZN WEBDL-1080p][EAC3 5.1][h264]-NTb`.
 * The title is never empty: when cleaning leaves nothing, the cleaned name is kept.
 */
export function parseRelease(stem: string): Cleaned {
  const cleaned = stripRelease(stem);
  return cleaned.title ? cleaned : { ...cleaned, title: cleanName(stem) || stem.trim() || stem };
}

/**
 * {@link parseRelease} that may leave an empty title: for what follows an episode's
 * number, often only noise. With `keepYear`, a year stays in the title (an episode's
 * whole name: "Doctor Who 2005 S01E01").
 */
export function stripRelease(stem: string, keepYear = false): Cleaned {
  let name = stem.replace(WEBSITE, '').replace(TORRENT_SUFFIX, '');
  let noisy = false;
  let year: number | undefined;
  // A leading `[Group]` (anime releases) goes when something follows it.
  const lead = /^\s*\[[^\]]*\]\s*(?=\S)/.exec(name);
  if (lead && name.slice(lead[0].length).replace(BRACKETS, '').trim()) name = name.slice(lead[0].length);
  const bare = name.replace(BRACKETS, ' ');
  if (bare !== name && bare.trim()) {
    noisy = true;
    // The `-GROUP` after the last bracket (Sonarr's ReleaseGroupRegex): "… [h264]-NTb".
    name = bare.replace(/\s+-[\p{L}\p{N}]+\s*$/u, '');
  }
  const token = STRONG_TOKEN.exec(name);
  if (token) {
    noisy = true;
    name = name.slice(0, token.index);
  }
  // The last year wins, as in Jellyfin's greedy CleanDateTimes: "2001 A Space Odyssey (1968)".
  const years = [...name.matchAll(YEAR)].filter((match) => Number(match[1]) <= LAST_YEAR && /[\p{L}\p{N}]/u.test(name.slice(0, match.index)));
  const last = keepYear ? undefined : years.at(-1);
  if (last) {
    year = Number(last[1]);
    name = name.slice(0, last.index);
    noisy = true;
  }
  // Only a name cut by a token, with no year, may end in weak ones ("Movie.PROPER.1080p"):
  // before a year they are the title's own words ("Charlottes.Web.2006").
  if (noisy && year === undefined) {
    for (let tail = TRAILING_WEAK.exec(name); tail && tail.index > 0; tail = TRAILING_WEAK.exec(name)) name = name.slice(0, tail.index);
  }
  // Where the name was cut, the separator before the cut goes too ("Real Steel.2011").
  const title = cleanName(name).replace(noisy ? /[\s(.,_-]+$/ : /[\s(-]+$/, '');
  return { title, ...(year !== undefined ? { year } : {}) };
}
