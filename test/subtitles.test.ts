import test from 'ava';
import { decodeSubtitleBytes, normaliseWebVtt, srtToWebVtt } from '../src/library/webvtt.ts';
import { startMediaServer } from './helpers/media-server.ts';
import { request } from './helpers/raw-http.ts';

const SRT = '1\r\n00:00:01,000 --> 00:00:02,500\r\nCafé <i>crème</i>\r\n\r\n2\r\n00:01:03,040 --> 00:01:04,000\r\n<font color="#ff0">{\\an8}Top</font> line\r\nsecond --> line\r\n\r\n';
const VTT = 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nCafé <i>crème</i>\n\n2\n00:01:03.040 --> 00:01:04.000\nTop line\nsecond → line\n';

test('SRT converts to WebVTT', (t) => {
  t.is(srtToWebVtt(SRT), VTT);
});

test('SRT quirks: no blank line between cues, short fractions, a dot separator, trailing junk', (t) => {
  const srt = '1\n0:00:01,5 --> 0:00:02,25 X1:10 X2:20\nA\n2\n00:00:03.000 --> 00:00:04.000\nB';
  t.is(srtToWebVtt(srt), 'WEBVTT\n\n1\n00:00:01.500 --> 00:00:02.250\nA\n\n2\n00:00:03.000 --> 00:00:04.000\nB\n');
});

test('decoding: UTF-8 with and without a BOM, Latin-1, UTF-16', (t) => {
  const text = 'Café crème';
  t.is(decodeSubtitleBytes(Buffer.from(text, 'utf8')), text);
  t.is(decodeSubtitleBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])), text);
  t.is(decodeSubtitleBytes(Buffer.from(text, 'latin1')), text);
  t.is(decodeSubtitleBytes(Buffer.from([0x93, 0x68, 0x69, 0x94])), '\u201chi\u201d'); // Windows-1252 quotes
  t.is(decodeSubtitleBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])), text);
});

test('WebVTT is normalised: BOM dropped, CRLF made LF, header ensured', (t) => {
  t.is(normaliseWebVtt('\uFEFFWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nHi\r\n'), 'WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n');
  t.is(normaliseWebVtt('WEBVTT - title\n'), 'WEBVTT - title\n');
  t.is(normaliseWebVtt('00:01.000 --> 00:02.000\nHi\n'), 'WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n');
});

test('/subtitles/<id>.vtt serves SRT as UTF-8 WebVTT whatever its encoding, and VTT as is', async (t) => {
  const server = await startMediaServer(t, {
    'Utf8.mp4': 'x',
    'Utf8.en.srt': SRT,
    'Bom.mp4': 'x',
    'Bom.fr.srt': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SRT, 'utf8')]),
    'Latin.mp4': 'x',
    'Latin.de.srt': Buffer.from(SRT, 'latin1'),
    'Web.mp4': 'x',
    'Web.es.vtt': VTT,
  });
  for (const name of ['Utf8.mp4', 'Bom.mp4', 'Latin.mp4', 'Web.mp4']) {
    const track = server.item(name).subtitles[0]!;
    const url = new URL(server.server.subtitleUrl(track));
    const response = await request(server.origin, url.pathname + url.search);
    t.is(response.status, 200, name);
    t.is(response.headers['content-type'], 'text/vtt; charset=utf-8');
    t.is(response.headers['access-control-allow-origin'], '*');
    t.is(response.body.toString('utf8'), VTT, name);
    const again = await request(server.origin, url.pathname + url.search, { headers: { 'if-none-match': response.headers.etag! } });
    t.is(again.status, 304);
  }
});
