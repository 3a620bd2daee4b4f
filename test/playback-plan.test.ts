import test from 'ava';
import fc from 'fast-check';
import type { AudioStreamInfo, MediaInfo, VideoStreamInfo } from '../src/library/media-info.ts';
import { DEVICE_MODELS } from '../src/media/device-models.ts';
import { browserProfile, castDeviceProfile, modelProfile, refineProfile, reportedSupport } from '../src/media/device-profile.ts';
import { planKey, planOfKey } from '../src/media/plan-key.ts';
import { planPlayback } from '../src/media/playback-plan.ts';
import { gridPlan, keyframePlan, segmentLength } from '../src/media/segment-plan.ts';

const third = modelProfile(DEVICE_MODELS.get('chromecast-3rd-gen')!);
const ultra = modelProfile(DEVICE_MODELS.get('chromecast-ultra')!);
const h264: VideoStreamInfo = { index: 0, codec: 'h264', profile: 'High', level: 4.1, width: 1920, height: 1080, bitDepth: 8, frameRate: 23.976 };
const hevc10: VideoStreamInfo = { index: 0, codec: 'hevc', profile: 'Main 10', level: 5.1, width: 3840, height: 2160, bitDepth: 10, frameRate: 23.976, hdr: 'hdr10' };
const aac: AudioStreamInfo = { index: 1, codec: 'aac', channels: 2, layout: 'stereo', language: 'eng', default: true };
const ac3: AudioStreamInfo = { index: 1, codec: 'ac3', channels: 6, layout: '5.1(side)', language: 'eng', default: true };

function info(container: string, video: VideoStreamInfo[], audio: AudioStreamInfo[], more: Partial<MediaInfo> = {}): MediaInfo {
  return { container, duration: 5400, video, audio, subtitles: [], tags: {}, ...more };
}

test('an MP4 with H.264 and AAC plays as it is, and the reason says so', (t) => {
  const plan = planPlayback({ kind: 'video', name: 'Film.mp4' }, info('mov,mp4,m4a,3gp,3g2,mj2', [h264], [aac]), third);
  t.is(plan.mode, 'direct');
  t.deepEqual(plan.reasons, ['Chromecast (3rd generation) plays MP4 with H.264 High 4.1 with AAC stereo as it is']);
});

test('HEVC Main 10 on a 3rd generation: the video becomes H.264 1080p, AC-3 5.1 becomes AAC stereo, each said in words', (t) => {
  const plan = planPlayback({ kind: 'video', name: 'Film.mkv' }, info('matroska,webm', [hevc10], [ac3]), third);
  t.is(plan.mode, 'video');
  t.like(plan, { video: { stream: 0, encode: { codec: 'h264', width: 1920, height: 1080, level: 4 } }, audio: { stream: 1, encode: { codec: 'aac', channels: 2 } } });
  t.deepEqual(plan.reasons, [
    'HEVC Main 10 is not supported by Chromecast (3rd generation): converting the video to H.264 1080p',
    'AC-3 (Dolby Digital) 5.1 is not supported by Chromecast (3rd generation): converting the audio to AAC stereo',
  ]);
});

test('the same file on an Ultra only changes container; AC-3 passed through to the TV when the user says so', (t) => {
  const file = info('matroska,webm', [hevc10], [ac3]);
  t.like(planPlayback({ kind: 'video', name: 'Film.mkv' }, file, ultra), { mode: 'audio' });
  const passthrough = castDeviceProfile('Chromecast Ultra', { audioPassthrough: ['ac3'] });
  const plan = planPlayback({ kind: 'video', name: 'Film.mkv' }, file, passthrough);
  t.is(plan.mode, 'remux');
  t.deepEqual(plan.reasons, ['Chromecast Ultra does not play the Matroska (MKV) container: repackaging the streams into MP4 segments, as they are']);
  t.deepEqual(plan.video, { stream: 0, codec: 'hevc' });
});

test('the audio track is chosen by language in any of its codes; not the first one needs a stream of its own', (t) => {
  const french: AudioStreamInfo = { index: 2, codec: 'aac', channels: 2, language: 'fre', default: false };
  const file = info('mov,mp4', [h264], [aac, french]);
  for (const asked of ['fr', 'fre', 'fra', 'French']) t.like(planPlayback({ kind: 'video', name: 'a.mp4' }, file, third, { audio: asked }), { mode: 'remux', audio: { stream: 2 } }, asked);
  t.like(planPlayback({ kind: 'video', name: 'a.mp4' }, file, third, { audio: 'de' }), { mode: 'direct', audio: { stream: 1 } }, 'a language it lacks: the default track');
});

test('picture subtitles asked for are burned into a converted video; text ones are left to WebVTT', (t) => {
  const file = info('matroska,webm', [h264], [aac], {
    subtitles: [
      { index: 2, codec: 'hdmv_pgs_subtitle', language: 'fre', forced: false, default: false, text: false },
      { index: 3, codec: 'subrip', language: 'eng', forced: false, default: false, text: true },
    ],
  });
  t.like(planPlayback({ kind: 'video', name: 'a.mkv' }, file, third, { subtitles: 'fr' }), { mode: 'video', burnSubtitle: 2 });
  t.like(planPlayback({ kind: 'video', name: 'a.mkv' }, file, third, { subtitles: 'en' }), { mode: 'remux', burnSubtitle: undefined });
});

test('a FLAC or ADTS AAC file plays as it is where its codec does: a bare stream is its own container', (t) => {
  for (const codec of ['flac', 'aac']) {
    const plan = planPlayback({ kind: 'audio', name: `Song.${codec}` }, info(codec, [], [{ index: 0, codec, channels: 2, default: true }]), third);
    t.is(plan.mode, 'direct', `${codec}: ${plan.reasons.join('; ')}`);
  }
});

test('MP3 audio cannot be copied into the segments of a converted stream: it is converted with the video', (t) => {
  const plan = planPlayback({ kind: 'video', name: 'old.avi' }, info('avi', [{ index: 0, codec: 'mpeg4', width: 640, height: 352, frameRate: 25 }], [{ index: 1, codec: 'mp3', channels: 2, default: true }]), third);
  t.like(plan, { mode: 'video', audio: { encode: { codec: 'aac' } } });
});

test('a browser profile comes from what the browser answered; a refused 10-bit question takes 10-bit away, not the codec', (t) => {
  const chromium = browserProfile('Screen', reportedSupport(['video/mp4', 'video/x-matroska', 'audio/mp4; codecs="mp4a.40.2"', 'video/mp4; codecs="avc1.640029"', 'video/mp4; codecs="avc1.640033"', 'video/mp4; codecs="hvc1.1.6.L153.B0"']));
  t.true(chromium.containers.includes('matroska'));
  t.false(chromium.audio.includes('ac3'));
  const hevc = chromium.video.filter((support) => support.codec === 'hevc');
  t.true(hevc.length > 0 && hevc.every((support) => support.maxBitDepth === 8));
  const refined = refineProfile(ultra, { 'video/mp4; codecs="hvc1.2.4.L153.B0"': false });
  t.true(refined.video.some((support) => support.codec === 'hevc' && support.maxBitDepth === 8 && !support.profiles!.includes('Main 10')));
});

test('a plan travels in its key and back; anything else is refused', (t) => {
  fc.assert(
    fc.property(
      fc.record({ stream: fc.integer({ min: 0, max: 63 }), width: fc.integer({ min: 2, max: 7680 }), height: fc.integer({ min: 2, max: 4320 }), bitrate: fc.integer({ min: 100_000, max: 100_000_000 }), audio: fc.integer({ min: 0, max: 63 }), burn: fc.option(fc.integer({ min: 0, max: 63 }), { nil: undefined }) }),
      ({ stream, width, height, bitrate, audio, burn }) => {
        const plan = { mode: 'video' as const, reasons: [], video: { stream, codec: 'hevc', encode: { codec: 'h264' as const, width, height, level: 4.1, bitrate } }, audio: { stream: audio, encode: { codec: 'aac' as const, channels: 2, bitrate: 192_000 } }, ...(burn === undefined ? {} : { burnSubtitle: burn }) };
        t.deepEqual(planOfKey(planKey(plan)), plan);
      },
    ),
  );
  for (const bad of ['', 'x', Buffer.from('["direct",0,0,-1]').toString('base64url'), Buffer.from('["video",[0,"h264",[1,1,1,1,0]],0,-1]').toString('base64url'), Buffer.from('["remux",0,0,-1]').toString('base64url'), 'a'.repeat(300)]) {
    t.is(planOfKey(bad), undefined, bad);
  }
});

test('segment plans cover the whole duration and never end in a sliver a player would ask for and not get', (t) => {
  fc.assert(
    fc.property(fc.double({ min: 0.1, max: 20_000, noNaN: true }), fc.constantFrom(2, 4), (duration, seconds) => {
      const plan = gridPlan(duration, seconds);
      t.is(plan.starts[0], 0);
      const last = segmentLength(plan, plan.starts.length - 1);
      t.true(plan.starts.length === 1 || last >= seconds / 2, `${duration}: last segment ${last}`);
      t.true(last < seconds * 1.5 + 1e-9 || plan.starts.length === 1);
    }),
  );
  t.deepEqual(gridPlan(30.02, 2).starts.length, 15, 'a 30.02 s film in 2 s segments: 15, the last one 2.02 s');
  const keyframes = keyframePlan([0, 2, 4, 6, 8, 10, 11.9], 12.1, 4);
  t.deepEqual(keyframes.starts, [0, 4, 8], 'no segment starts at a keyframe in the last half segment');
});
