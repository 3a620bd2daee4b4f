// What NasCast reads from file names: series, season and episode, a film's title and
// year with the release noise taken off, a song's track, and tags winning over names.
//
//   node examples/titles-from-names.ts ["Some.File.Name.mkv" "Show/Season 1/…"]
import { parseMediaName, withTags } from 'homebridge-nascast';

const given = process.argv.slice(2);
const paths = given.length > 0 ? given : [
  'Series/The Expanse/Season 02/The.Expanse.S02E05.720p.WEB-DL.x264-GROUP.mkv',
  'Films/My Movie (2019) [AMZN WEBDL-1080p][EAC3 5.1][h264]-NTb.mkv',
  'Music/Nina Simone/Pastel Blues/03 - Be My Husband.flac',
];
for (const path of paths) {
  const parts = path.split('/');
  const name = parts.pop()!;
  const kind = /\.(flac|mp3|m4a|ogg|opus|wav)$/i.test(name) ? 'audio' : 'video';
  console.log(`${name}\n  ${JSON.stringify(parseMediaName(name, parts, kind))}`);
}
// Tags read from the file (a later release probes them) win over the name, field by field.
console.log(JSON.stringify(withTags(parseMediaName('03 - Be My Husband.flac', ['Music', 'Nina Simone', 'Pastel Blues'], 'audio'), { title: 'Be My Husband', year: 1965 })));
