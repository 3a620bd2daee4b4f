import fc from 'fast-check';
import test from 'ava';
import { cleanName, isArtworkFile, parseMediaName, parseRelease, withTags, type MediaNames } from '../src/library/titles.ts';
import { RELEASE_TOKEN, RELEASE_WORD } from '../src/library/release-noise.ts';
import { mediaTypeOf } from '../src/library/media-types.ts';

type Kind = 'video' | 'audio' | 'image';
/** A path inside a root as the NAS holds it, what it is and the fields the name gives. */
type Case = [path: string, expected: Partial<MediaNames>, kind?: Kind];

// Names as Sonarr, Radarr, scene groups, Plex/Jellyfin folder layouts and rippers write them.
const CASES: Case[] = [
  // Series: Sonarr/Kodi S01E02 forms
  ['Show S01E02.mkv', { kind: 'episode', series: 'Show', season: 1, episode: 2, title: 'Show S01E02' }],
  ['Show.s01e02.Title.mkv', { series: 'Show', season: 1, episode: 2, title: 'Title' }],
  ['Show 1x02.avi', { series: 'Show', season: 1, episode: 2 }],
  ['Show - 3x11 - The Name.mkv', { series: 'Show', season: 3, episode: 11, title: 'The Name' }],
  ['Show S01E01-E02.mkv', { season: 1, episode: 1, episodeEnd: 2, title: 'Show S01E01-E02' }],
  ['Show S01E01E02.mkv', { season: 1, episode: 1, episodeEnd: 2 }],
  ['Show.S02E05-06.720p.HDTV.x264-LOL.mkv', { series: 'Show', season: 2, episode: 5, episodeEnd: 6 }],
  ['Show 02x03-04.mkv', { season: 2, episode: 3, episodeEnd: 4 }],
  ['Show.S09E14-1080p.mkv', { season: 9, episode: 14, episodeEnd: undefined }],
  ['Show.S01.E02.mkv', { series: 'Show', season: 1, episode: 2 }],
  ['Show S01 - E02.mkv', { series: 'Show', season: 1, episode: 2 }],
  ['The.Expanse.S03E07.Delta-V.1080p.AMZN.WEB-DL.DDP5.1.H.264-NTb.mkv', { series: 'The Expanse', season: 3, episode: 7, title: 'Delta-V' }],
  ['Love.Death.and.Robots.S01E01.Sonnies.Edge.1080p.NF.WEB-DL.DDP5.1.x264-NTG.mkv', { series: 'Love Death and Robots', season: 1, episode: 1, title: 'Sonnies Edge' }],
  ['Doctor.Who.2005.S01E01.Rose.720p.BluRay.x264.mkv', { series: 'Doctor Who', season: 1, episode: 1, title: 'Rose' }],
  ['Breaking Bad - S05E16 - Felina [Bluray-1080p][DTS 5.1][x264]-SPARKS.mkv', { series: 'Breaking Bad', season: 5, episode: 16, title: 'Felina' }],
  ['The Office (US)/Season 2/The Office (US) - S02E01 - The Dundies WEBDL-1080p.mkv', { series: 'The Office (US)', season: 2, episode: 1, title: 'The Dundies' }],
  ['Show/Season 1/Show S01E02 - Title [AMZN WEBDL-1080p][EAC3 5.1][h264]-NTb.mkv', { series: 'Show', season: 1, episode: 2, title: 'Title' }],
  ['Watchmen (2019)/Watchmen 1x03 [WEBDL-720p][EAC3 5.1][h264][-TBS] - She Was Killed by Space Junk.mkv', { series: 'Watchmen', season: 1, episode: 3, title: 'She Was Killed by Space Junk' }],
  ['the_simpsons_s05e01_homers_barbershop_quartet.avi', { series: 'the simpsons', season: 5, episode: 1, title: 'homers barbershop quartet' }],
  ['Série Ça/Saison 2/Série Ça S02E03.mkv', { series: 'Série Ça', season: 2, episode: 3 }],
  // Series: from folders
  ['Show/Season 1/02 - Title.mkv', { kind: 'episode', series: 'Show', season: 1, episode: 2, title: 'Title' }],
  ['Show/Season 01/Show - 02 - Title.mkv', { series: 'Show', season: 1, episode: 2, title: 'Title' }],
  ['Show/Season 3/05.mkv', { series: 'Show', season: 3, episode: 5, title: 'Show S03E05' }],
  ['Show/S02/01. Pilot.mp4', { series: 'Show', season: 2, episode: 1, title: 'Pilot' }],
  ['Show/Staffel 4/Folge 07.mkv', { series: 'Show', season: 4 }],
  ['Show/Season 2/Episode 16 - Finale.mkv', { series: 'Show', season: 2, episode: 16, title: 'Finale' }],
  ['Cartoons/Episode 2.mp4', { series: 'Cartoons', episode: 2, title: 'Episode 2' }],
  ['Show (2010)/Season 1/Show (2010) - S01E01-E02 - Two Parter.mkv', { series: 'Show', season: 1, episode: 1, episodeEnd: 2, title: 'Two Parter' }],
  // Specials
  ['Show/Specials/01 - Christmas Special.mkv', { series: 'Show', season: 0, episode: 1, title: 'Christmas Special' }],
  ['Show/Season 00/Show S00E03.mkv', { series: 'Show', season: 0, episode: 3 }],
  // By date
  ['Show 2023-05-01.mkv', { kind: 'episode', series: 'Show', airDate: '2023-05-01', title: 'Show 2023-05-01' }],
  ['The.Daily.Show.2024.01.15.Guest.Name.720p.WEB.h264-EDITH.mkv', { series: 'The Daily Show', airDate: '2024-01-15', title: 'Guest Name' }],
  ['Jeopardy 2023 07 14 HDTV x264 AC3.mkv', { series: 'Jeopardy', airDate: '2023-07-14' }],
  // Films
  ['Title (2019).mkv', { kind: 'film', title: 'Title', year: 2019 }],
  ['Title.2019.1080p.BluRay.x264-GROUP.mkv', { kind: 'film', title: 'Title', year: 2019 }],
  ['My Movie [AMZN WEBDL-1080p][EAC3 5.1][h264]-NTb.mkv', { kind: 'film', title: 'My Movie' }],
  ['The Wolf of Wall Street (2013).mkv', { title: 'The Wolf of Wall Street', year: 2013 }],
  ['Blade Runner 2049 (2017).mkv', { title: 'Blade Runner 2049', year: 2017 }],
  ['2001 A Space Odyssey (1968).mkv', { title: '2001 A Space Odyssey', year: 1968 }],
  ['1917 (2019) [2160p].mkv', { title: '1917', year: 2019 }],
  ['Amélie (2001) [1080p].mkv', { title: 'Amélie', year: 2001 }],
  ['Charlottes.Web.2006.1080p.BluRay.x264.mkv', { title: 'Charlottes Web', year: 2006 }],
  ['Spider-Man (2002).mkv', { title: 'Spider-Man', year: 2002 }],
  ['Rain Man 1988 REMASTERED 1080p BluRay x264 AAC - Ozlem.mp4', { title: 'Rain Man', year: 1988 }],
  ['Maximum Ride - 2016 - WEBDL-1080p - x264 AC3.mkv', { title: 'Maximum Ride', year: 2016 }],
  ['3.Days.to.Kill.2014.720p.BluRay.x264.YIFY.mkv', { title: '3 Days to Kill', year: 2014 }],
  ['curse.of.chucky.2013.stv.unrated.multi.1080p.bluray.x264-rough.mkv', { title: 'curse of chucky', year: 2013 }],
  ['Dune.Part.Two.2024.2160p.UHD.BluRay.REMUX.HDR10.HEVC.TrueHD.7.1.Atmos-FGT.mkv', { title: 'Dune Part Two', year: 2024 }],
  ['Oppenheimer.2023.IMAX.2160p.WEB-DL.DDP5.1.Atmos.DV.HDR10.H.265-FLUX.mkv', { title: 'Oppenheimer', year: 2023 }],
  ['Movie.PROPER.1080p.WEBRip.x265-RARBG.mp4', { title: 'Movie', year: undefined }],
  ['[ www.Torrent.com ] - Some.Film.2010.DVDRip.XviD.avi', { title: 'Some Film', year: 2010 }],
  ['Films/Film.mp4', { kind: 'film', title: 'Film' }],
  ['Avatar 3D (2009).mkv', { title: 'Avatar 3D', year: 2009 }],
  ['2.0 (2018) [1080p].mkv', { title: '2.0', year: 2018 }],
  ['Real Steel.2011.1080p.BluRay.x264-SPARKS.mkv', { title: 'Real Steel', year: 2011 }],
  ['Some Video [dQw4w9WgXcQ].mp4', { kind: 'film', title: 'Some Video' }],
  ['Films/Mr. Robot Special (1920x1080).mkv', { kind: 'film', title: 'Mr. Robot Special (1920x1080)' }],
  ['Home Movies/Holiday_in_Rome.mp4', { kind: 'film', title: 'Holiday in Rome' }],
  // Music
  ['Artist/Album/01 - Title.mp3', { kind: 'track', track: 1, title: 'Title', artist: 'Artist', album: 'Album' }, 'audio'],
  ['Artist/Album (1999)/1-01 Title.flac', { track: 1, disc: 1, title: 'Title', album: 'Album', year: 1999 }, 'audio'],
  ['Artist/Album/CD2/01. Title.mp3', { track: 1, disc: 2, artist: 'Artist', album: 'Album', title: 'Title' }, 'audio'],
  ['Pink Floyd/1973 - The Dark Side of the Moon/03 - Time.flac', { track: 3, artist: 'Pink Floyd', album: 'The Dark Side of the Moon', year: 1973, title: 'Time' }, 'audio'],
  ['Artist/Album/2-11 Song_Name.m4a', { disc: 2, track: 11, title: 'Song Name' }, 'audio'],
  ['Song.mp3', { kind: 'track', title: 'Song', track: undefined, artist: undefined }, 'audio'],
  // Photos and the rest
  ['Holidays/IMG_1234.jpg', { kind: 'other', title: 'IMG 1234' }, 'image'],
  ['Holidays/2023-05-01 Beach.jpg', { kind: 'other', title: '2023-05-01 Beach' }, 'image'],
];

for (const [relative, expected, kind] of CASES) {
  test(`names: ${relative}`, (t) => {
    const parts = relative.split('/');
    const names = parseMediaName(parts.at(-1)!, parts.slice(0, -1), kind ?? 'video');
    for (const [key, value] of Object.entries(expected)) t.is(names[key as keyof MediaNames], value, `${key} of ${relative}: ${JSON.stringify(names)}`);
  });
}

test('at least 50 real-world names are in the table', (t) => {
  t.true(CASES.length >= 50);
});

test('tags win over names, field by field; unset and empty tags leave the name', (t) => {
  const names = parseMediaName('01 - Title.mp3', ['Artist', 'Album'], 'audio');
  t.like(withTags(names, { title: 'Real Title', artist: undefined, album: '', track: 7 }), { title: 'Real Title', artist: 'Artist', album: 'Album', track: 7 });
});

test('artwork files by Jellyfin’s names are not media; other pictures are', (t) => {
  for (const name of ['folder.jpg', 'Folder.JPG', 'cover.jpeg', 'poster.png', 'fanart.jpg', 'fanart-1.jpg', 'backdrop2.jpg', 'background.webp', 'art.jpg', 'jacket.jpg', 'albumart.jpg', 'AlbumArtSmall.jpg', 'default.jpg', 'show.png', 'movie.jpg', 'Movie (2019)-poster.jpg', 'Show-fanart.jpg', 'season01-poster.jpg', 'season-specials-poster.jpg', 'cover2.jpg', 'AlbumArt_{8DB9A2F4-1A2B-4C3D-9E8F-0123456789AB}_Large.jpg']) {
    t.true(isArtworkFile(name), name);
    t.is(mediaTypeOf(name), undefined, name);
  }
  for (const name of ['beach.jpg', 'IMG_0001.JPG', 'coverage.jpg', 'folder.gif', 'poster.mp4', 'Artist - Folder Song.mp3', 'Art Exhibition.jpg']) t.false(isArtworkFile(name), name);
  t.is(mediaTypeOf('beach.jpg')?.kind, 'image');
  t.is(mediaTypeOf('poster.mp4')?.kind, 'video');
});

// Properties

const STRONG_TOKENS = ['1080p', '720p', '2160p', 'BluRay', 'WEB-DL', 'WEBRip', 'x264', 'x265', 'h264', 'HEVC', 'DTS', 'AAC', 'AC3', 'EAC3', 'DDP5.1', 'HDR10', 'Atmos', 'TrueHD', 'REMUX', '10bit'];
// Words of a title: not release tokens themselves (a film called "Remux" loses its name).
const word = fc.stringMatching(/^[A-Za-zÀ-ÖØ-Þ][a-zß-öø-ÿ']{0,9}$/).filter((text) => !RELEASE_WORD.test(text));
const anyName = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('', '.', '.mkv', '-', '[]', '[', '()', '1080p', 'S01E01', '2019', '(2019)', '[a][b]-c'));
const folders = fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('Season 1', 'Specials', 'CD1', 'S01', 'Show')), { maxLength: 4 });

test('property: never throws, and the title is never empty, whatever the name', (t) => {
  fc.assert(
    fc.property(anyName, folders, fc.constantFrom<Kind>('video', 'audio', 'image'), (name, dirs, kind) => {
      const file = name === '' ? 'x' : name;
      const names = parseMediaName(file, dirs, kind);
      // Blank only when the file's name is.
      return names.title.length > 0 && (names.title.trim() !== '' || file.trim() === '');
    }),
    { numRuns: 3000 },
  );
  t.pass();
});

test('property: cleaning a name is idempotent', (t) => {
  // ', !.' once cleaned to '!.' and then to '!' (fast-check found it).
  t.is(cleanName(cleanName(', !.')), cleanName(', !.'));
  fc.assert(fc.property(anyName, (name) => cleanName(cleanName(name)) === cleanName(name)), { numRuns: 3000 });
  t.pass();
});

test('a number after "Ep" or "Episode" that reads as a year is a film\'s year (found by the property below)', (t) => {
  t.like(parseMediaName('Ep.1920.1080p.mkv', [], 'video'), { kind: 'film', title: 'Ep', year: 1920 });
  t.like(parseMediaName('Ep 16.mkv', [], 'video'), { kind: 'episode', episode: 16 });
});

test('property: no release token is left in a film title, and the words before it stay', (t) => {
  const separator = fc.constantFrom('.', ' ', '_', ' - ');
  fc.assert(
    fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), separator, fc.option(fc.integer({ min: 1920, max: 2024 })), fc.array(fc.constantFrom(...STRONG_TOKENS), { minLength: 1, maxLength: 5 }), fc.constantFrom('', '-GROUP', '-NTb'), (words, sep, year, tokens, group) => {
      const name = `${words.join(sep)}${year ? `${sep}${year}` : ''}${sep}${tokens.join(sep)}${group}.mkv`;
      const names = parseMediaName(name, [], 'video');
      const expected = cleanName(words.join(sep));
      return !RELEASE_TOKEN.test(names.title) && names.title === expected && names.year === (year ?? undefined);
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('property: a cleaned film title parses to itself', (t) => {
  fc.assert(
    fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
      const title = parseRelease(words.join('.')).title;
      return parseRelease(title).title === title;
    }),
    { numRuns: 2000 },
  );
  t.pass();
});
