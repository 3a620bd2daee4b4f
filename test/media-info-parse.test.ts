import test from 'ava';
import fc from 'fast-check';
import { MAX_TEXT } from '../src/library/ffprobe-json.ts';
import { isMediaInfo, mediaInfoFromFfprobe, type MediaInfo } from '../src/library/media-info.ts';

/** The first video stream read from one ffprobe stream object. */
const video = (stream: Record<string, unknown>): MediaInfo['video'][number] | undefined =>
  mediaInfoFromFfprobe({ streams: [{ index: 0, codec_type: 'video', ...stream }] }, 'video').video[0];

test('levels as specs write them: H.264 level_idc / 10, HEVC general_level_idc / 30, AV1 seq_level_idx', (t) => {
  t.is(video({ codec_name: 'h264', level: 41 })?.level, 4.1);
  t.is(video({ codec_name: 'h264', level: 13 })?.level, 1.3);
  t.is(video({ codec_name: 'hevc', level: 93 })?.level, 3.1);
  t.is(video({ codec_name: 'hevc', level: 120 })?.level, 4);
  t.is(video({ codec_name: 'hevc', level: 153 })?.level, 5.1);
  t.is(video({ codec_name: 'av1', level: 9 })?.level, 4.1);
  t.is(video({ codec_name: 'vp9', level: -99 })?.level, undefined);
  t.is(video({ codec_name: 'mjpeg', level: -99 })?.level, undefined);
});

test('bit depth: bits_per_raw_sample, else the pixel format', (t) => {
  t.is(video({ codec_name: 'h264', bits_per_raw_sample: '8', pix_fmt: 'yuv420p' })?.bitDepth, 8);
  t.is(video({ codec_name: 'hevc', pix_fmt: 'yuv420p10le' })?.bitDepth, 10);
  t.is(video({ codec_name: 'hevc', pix_fmt: 'p010le' })?.bitDepth, 10);
  t.is(video({ codec_name: 'hevc', pix_fmt: 'yuv422p12le' })?.bitDepth, 12);
  t.is(video({ codec_name: 'mjpeg', pix_fmt: 'yuvj420p' })?.bitDepth, 8);
  t.is(video({ codec_name: 'h264' })?.bitDepth, undefined);
});

test('HDR: PQ is HDR10, ARIB STD-B67 is HLG, a DOVI record is Dolby Vision whatever the transfer', (t) => {
  t.is(video({ codec_name: 'hevc', color_transfer: 'smpte2084' })?.hdr, 'hdr10');
  t.is(video({ codec_name: 'hevc', color_transfer: 'arib-std-b67' })?.hdr, 'hlg');
  t.is(video({ codec_name: 'hevc', color_transfer: 'bt709' })?.hdr, undefined);
  const dovi = { side_data_type: 'DOVI configuration record', dv_version_major: 1, dv_profile: 8, dv_level: 6, dv_bl_signal_compatibility_id: 1 };
  t.is(video({ codec_name: 'hevc', color_transfer: 'smpte2084', side_data_list: [dovi] })?.hdr, 'dolby-vision');
});

test('rotation from side data, in 0–359; frame rate from the average', (t) => {
  t.is(video({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] })?.rotation, 270);
  t.is(video({ side_data_list: [{ side_data_type: 'DisplayMatrix', rotation: 90 }] })?.rotation, 90);
  t.is(video({ tags: { rotate: '180' } })?.rotation, 180);
  t.is(video({})?.rotation, undefined);
  t.is(video({ avg_frame_rate: '30000/1001', r_frame_rate: '60/1' })?.frameRate, 29.97);
  t.is(video({ avg_frame_rate: '0/0', r_frame_rate: '25/1' })?.frameRate, 25);
});

test('tracks: und is no language, picture subtitles are not text, attached pictures are covers not video', (t) => {
  const info = mediaInfoFromFfprobe({
    streams: [
      { index: 0, codec_type: 'video', codec_name: 'h264' },
      { index: 1, codec_type: 'audio', codec_name: 'eac3', channels: 6, tags: { LANGUAGE: 'und', TITLE: 'Surround' } },
      { index: 2, codec_type: 'subtitle', codec_name: 'hdmv_pgs_subtitle', tags: { language: 'ger' }, disposition: { default: 1, forced: 1 } },
      { index: 3, codec_type: 'attachment', codec_name: 'ttf', tags: { filename: 'font.ttf', mimetype: 'font/ttf' } },
      { index: 4, codec_type: 'attachment', tags: { filename: 'small_cover.png', mimetype: 'image/png' } },
      { index: 5, codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 }, tags: { filename: 'cover.jpg' } },
    ],
  }, 'video');
  t.deepEqual(info.audio, [{ index: 1, codec: 'eac3', channels: 6, title: 'Surround', default: false }]);
  t.deepEqual(info.subtitles, [{ index: 2, codec: 'hdmv_pgs_subtitle', language: 'ger', forced: true, default: true, text: false }]);
  t.deepEqual(info.video.map((stream) => stream.index), [0]);
  t.deepEqual(info.cover, { stream: 4, codec: 'png' }, 'the first of the pictures named like a cover');
});

test('music tags: any key case, stream tags under format tags for music only, counts and years', (t) => {
  const ogg = { format: { format_name: 'ogg', tags: { ALBUM: 'From the format' } }, streams: [{ codec_type: 'audio', codec_name: 'opus', tags: { Title: 'Opus', ALBUM: 'From the stream', TRACKNUMBER: '07', TOTALTRACKS: '10', ORIGINALDATE: '1999-01-02' } }] };
  t.deepEqual(mediaInfoFromFfprobe(ogg, 'audio').tags, { title: 'Opus', album: 'From the format', track: 7, trackCount: 10, year: 1999 });
  t.deepEqual(mediaInfoFromFfprobe(ogg, 'video').tags, { album: 'From the format' });
  const m4a = { format: { tags: { 'album artist': 'A', track: '3/12', disc: '0/0', date: '2003-05-06T10:00:00Z', genre: 'Rock\nand roll' } } };
  t.deepEqual(mediaInfoFromFfprobe(m4a, 'audio').tags, { albumArtist: 'A', track: 3, trackCount: 12, year: 2003, genre: 'Rock and roll' });
  t.deepEqual(mediaInfoFromFfprobe({ format: { tags: { track: 'A1', date: 'unknown', year: '1975' } } }, 'audio').tags, { year: 1975 });
});

test('photos: EXIF orientation (trimmed) and date from the first frame; nonsense is absent', (t) => {
  const photo = (tags: Record<string, string>): MediaInfo['photo'] =>
    mediaInfoFromFfprobe({ streams: [{ codec_type: 'video', codec_name: 'mjpeg', width: 4000, height: 3000 }], frames: [{ tags }] }, 'image').photo;
  t.deepEqual(photo({ Orientation: '    6', DateTimeOriginal: '2021:07:14 18:30:05' }), { width: 4000, height: 3000, orientation: 6, taken: '2021-07-14T18:30:05' });
  t.deepEqual(photo({ Orientation: '9', DateTimeOriginal: '0000:00:00 00:00:00', DateTimeDigitized: '2020:01:02 03:04:05' }), { width: 4000, height: 3000, taken: '2020-01-02T03:04:05' });
  t.deepEqual(photo({ DateTimeOriginal: '2021:13:14 18:30:05' }), { width: 4000, height: 3000 });
  t.is(mediaInfoFromFfprobe({ streams: [] }, 'video').photo, undefined);
});

test('isMediaInfo accepts what the parser makes and refuses other shapes', (t) => {
  t.true(isMediaInfo(mediaInfoFromFfprobe({}, 'video')));
  t.false(isMediaInfo({}));
  t.false(isMediaInfo(null));
  t.false(isMediaInfo({ video: [], audio: [], subtitles: [], tags: { track: '3' } }));
  t.false(isMediaInfo({ video: [{ index: 0, codec: 'h264', hdr: 'hdr11' }], audio: [], subtitles: [], tags: {} }));
  t.false(isMediaInfo({ video: [], audio: [{ index: 0, codec: 'aac' }], subtitles: [], tags: {} }), 'default is required');
  t.false(isMediaInfo({ video: [], audio: [], subtitles: [], tags: {}, duration: Number.NaN }));
  t.false(isMediaInfo({ video: [], audio: [], subtitles: [], tags: {}, cover: { stream: 1 } }));
});

/** Every string and number inside a value. */
function leaves(value: unknown, into: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((item) => leaves(item, into));
  else if (typeof value === 'object' && value !== null) Object.values(value).forEach((item) => leaves(item, into));
  else into.push(value);
  return into;
}

// ffprobe-like objects with every field of any type, so the property reaches the readers.
const FIELDS = ['index', 'codec_type', 'codec_name', 'profile', 'level', 'width', 'height', 'pix_fmt', 'bits_per_raw_sample', 'color_transfer', 'avg_frame_rate', 'r_frame_rate', 'channels', 'channel_layout', 'sample_rate', 'tags', 'disposition', 'side_data_list'];
const anyValue = fc.oneof(fc.anything(), fc.constantFrom('video', 'audio', 'subtitle', 'attachment'), fc.string({ maxLength: 400 }), fc.double(), fc.constant({ attached_pic: 1, default: 1 }));
const ffprobeLike = fc.record(
  {
    format: fc.record({ duration: anyValue, bit_rate: anyValue, format_name: anyValue, tags: fc.dictionary(fc.string(), anyValue) }, { requiredKeys: [] }),
    streams: fc.array(fc.record(Object.fromEntries(FIELDS.map((field) => [field, anyValue])), { requiredKeys: [] }), { maxLength: 80 }),
    frames: fc.array(fc.record({ tags: fc.dictionary(fc.string(), anyValue) }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

test('any JSON gives a bounded, well-formed MediaInfo and never throws', (t) => {
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue(), fc.anything(), ffprobeLike), fc.constantFrom('video', 'audio', 'image' as const), (json, kind) => {
      const info = mediaInfoFromFfprobe(json, kind);
      if (!Array.isArray(info.video) || !Array.isArray(info.audio) || !Array.isArray(info.subtitles)) return false;
      if (info.video.length + info.audio.length + info.subtitles.length > 64) return false;
      for (const leaf of leaves(info)) {
        if (typeof leaf === 'string' && leaf.length > MAX_TEXT) return false;
        if (typeof leaf === 'number' && !(Number.isFinite(leaf) && leaf >= 0)) return false;
      }
      return isMediaInfo(JSON.parse(JSON.stringify(info)));
    }),
    { numRuns: 500 },
  );
  t.pass();
});
