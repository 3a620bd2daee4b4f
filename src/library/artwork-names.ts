// Artwork beside the media, after Jellyfin's LocalImageProvider and PhotoResolver and
// Kodi's music thumbs (research/issue21.md §6): such files are a folder's or an item's
// pictures, not items of the library (an album's `folder.jpg` is no seventh track).

const IMAGE_EXTENSIONS = /\.(?:jpe?g|png|webp)$/i;

// Bare names: Jellyfin's common, music, series and video image names, backdrops
// (`fanart`, `fanart-1`, `backdrop2`), logos, discs, banners and thumbs; Jellyfin's
// photo resolver skips names that start with these, so a number may follow (`cover2`).
const BARE = /^(?:folder|cover|poster|fanart|backdrop|background|art|jacket|albumart(?:small)?|default|show|movie|front|thumb|banner|logo|clearlogo|clearart|landscape|discart|cdart|small)(?:[ ._-]?\d{1,3})?$/i;
// `<media name>-poster`, `Movie (2019)-fanart-1`: an item's own pictures.
const SUFFIXED = /.-(?:poster|folder|cover|fanart|backdrop|background|art|banner|logo|clearlogo|clearart|landscape|thumb|disc|discart|cdart|movie|show)(?:-?\d{1,3})?$/i;
// Season pictures in the series folder: `season01-poster`, `season-specials-poster`, `season-all-banner`.
const SEASON = /^season(?:\d{1,4}|-specials|-all)-(?:poster|fanart|banner|landscape|thumb)$/i;
// Windows Media Player's album art: `AlbumArt_{GUID}_Large.jpg`.
const WMP = /^albumart_\{[0-9a-f-]+\}_(?:large|small)$/i;

/**
 * Whether a file is artwork by its name (Jellyfin's conventions): `folder.jpg`,
 * `cover.png`, `poster.webp`, `fanart-1.jpg`, `Movie (2019)-poster.jpg`,
 * `season01-poster.jpg`… Case-insensitive; only `.jpg`, `.jpeg`, `.png` and `.webp`.
 */
export function isArtworkFile(name: string): boolean {
  const match = IMAGE_EXTENSIONS.exec(name);
  if (!match) return false;
  const base = name.slice(0, match.index);
  return BARE.test(base) || SUFFIXED.test(base) || SEASON.test(base) || WMP.test(base);
}
