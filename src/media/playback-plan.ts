// The decision per (file, device, chosen tracks): play the file as it is, or convert
// it, and the least conversion that plays. Pure: the probe and the profile in, the plan
// and its reasons in words out.
import type { AudioStreamInfo, EmbeddedSubtitleInfo, MediaInfo, VideoStreamInfo } from '../library/media-info.ts';
import type { VideoSupport } from './device-models.ts';
import type { DeviceProfile } from './device-profile.ts';
import { audioName, containerName, languageName, sameLanguage, videoName } from './media-words.ts';
import { videoEncodeFor, videoFits, type VideoEncode } from './video-fit.ts';

/** What is done to a file: nothing, a new container, new audio, or new video (and audio where needed). */
export type PlaybackMode = 'direct' | 'remux' | 'audio' | 'video';

/** The conversion of the audio: AAC, this many channels. */
export interface AudioEncode {
  readonly codec: 'aac';
  readonly channels: number;
  readonly bitrate: number;
}

/** The decision for one file on one device. */
export interface PlaybackPlan {
  readonly mode: PlaybackMode;
  /** One sentence per thing that decided it, the most costly first. */
  readonly reasons: readonly string[];
  /** The video stream played (its index in the file), and its conversion if any; absent: no picture. */
  readonly video?: { readonly stream: number; readonly codec: string; readonly encode?: VideoEncode };
  /** The audio stream played, and its conversion if any; absent: no sound. */
  readonly audio?: { readonly stream: number; readonly encode?: AudioEncode };
  /** A picture subtitle stream burned into the video. */
  readonly burnSubtitle?: number;
}

/** What the caller asked for: languages as ISO 639 codes (`fr`, `fre`) or English names. */
export interface TrackChoice {
  readonly audio?: string;
  readonly subtitles?: string;
}

/** The item as the decision reads it. */
export interface PlannedFile {
  readonly kind: 'video' | 'audio' | 'image';
  /** The file's name, for its extension where the probe's container name is shared (MKV and WebM, MP4 and MOV). */
  readonly name: string;
}

const AAC_STEREO: AudioEncode = { codec: 'aac', channels: 2, bitrate: 192_000 };
// Audio that HLS carries in fMP4 segments and Cast receivers read there (Apple's HLS
// authoring spec and CAF's list): MP3, MP2, PCM, Opus or FLAC in fMP4 are refused by
// Chromium's demuxer ("Unsupported audio object type 0x6b", measured).
const SEGMENT_AUDIO: ReadonlySet<string> = new Set(['aac', 'ac3', 'eac3']);

/**
 * The plan for `file` on `device`. Without a probe (not probed yet, or no ffprobe) a
 * container the device plays is played as it is, and anything else is remuxed.
 */
export function planPlayback(file: PlannedFile, info: MediaInfo | undefined, device: DeviceProfile, choice: TrackChoice = {}): PlaybackPlan {
  if (file.kind === 'image') return { mode: 'direct', reasons: [] };
  const container = containerOf(info?.container, file.name);
  // A bare audio stream (a .flac, an ADTS .aac) is its codec's own container: it plays where the codec does.
  const bareAudio = info !== undefined && info.video.length === 0 && info.audio.length === 1 && info.audio[0]!.codec === container && device.audio.includes(container);
  const containerWhy = device.containers.includes(container) || bareAudio ? undefined : `${device.name} does not play the ${containerName(container)} container: repackaging the streams into MP4 segments, as they are`;
  if (!info) return containerWhy ? { mode: 'remux', reasons: [containerWhy, 'the file is not probed yet: its streams are copied as they are'] } : { mode: 'direct', reasons: ['the file is not probed yet: played as it is'] };

  const video = device.screen ? info.video[0] : undefined;
  const audio = chooseAudio(info.audio, choice.audio);
  const burn = burnedSubtitle(info.subtitles, choice.subtitles);
  const reasons: string[] = [];
  let videoPlan: PlaybackPlan['video'];
  if (video) {
    const why = videoRefusal(video, device);
    if (why !== undefined || burn) {
      const encode = videoEncodeFor(video, device);
      if (!encode) return { mode: 'direct', reasons: [`${device.name} plays no video NasCast can make (it has no H.264): ${why ?? 'nothing to do'}`] };
      reasons.push(why !== undefined ? `${why}: converting the video to H.264 ${encode.height}p` : `the ${languageName(burn!.language)} subtitles are pictures (${burn!.codec}): burning them into the video, converted to H.264 ${encode.height}p`);
      videoPlan = { stream: video.index, codec: video.codec, encode };
    } else {
      videoPlan = { stream: video.index, codec: video.codec };
    }
  }

  let audioPlan: PlaybackPlan['audio'];
  if (audio) {
    const why = audioRefusal(audio, device);
    if (why) reasons.push(`${why}: converting the audio to AAC stereo`);
    audioPlan = why ? { stream: audio.index, encode: AAC_STEREO } : { stream: audio.index };
  }
  // A stream is made whenever the container or the video changes: its segments take only these audio codecs.
  const streamed = videoPlan?.encode !== undefined || containerWhy !== undefined || (audio !== undefined && audio !== info.audio[0]);
  if (audio && audioPlan && !audioPlan.encode && streamed && !SEGMENT_AUDIO.has(audio.codec)) {
    reasons.push(`${audioName(audio)} cannot travel in the MP4 segments of a converted stream: converting the audio to AAC stereo`);
    audioPlan = { stream: audio.index, encode: AAC_STEREO };
  }
  const plan = { ...(videoPlan && { video: videoPlan }), ...(audioPlan && { audio: audioPlan }), ...(burn && videoPlan?.encode && { burnSubtitle: burn.index }) };
  if (videoPlan?.encode) return { mode: 'video', reasons, ...plan };
  // A speaker plays a film's sound as it is; converted, only the sound is made.
  if (info.video.length > 0 && !videoPlan && reasons.length + (containerWhy ? 1 : 0) > 0) reasons.push(`${device.name} has no screen: the sound only`);
  if (audioPlan?.encode) return { mode: 'audio', reasons, ...plan };
  if (containerWhy) reasons.push(containerWhy);
  if (audio && audio !== info.audio[0]) reasons.push(`the ${languageName(audio.language)} audio is not the file's first track, which is the one a device plays: repackaging with it alone`);
  if (reasons.length > 0) return { mode: 'remux', reasons, ...plan };
  return { mode: 'direct', reasons: [`${device.name} plays ${[containerName(container), video && videoName(video), audio && audioName(audio)].filter(Boolean).join(' with ')} as it is`], ...plan };
}

/** The container as the device tables name it: ffprobe's name, told apart by the file's extension where shared. */
export function containerOf(formatName: string | undefined, name: string): string {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const parts = (formatName ?? '').split(',');
  if (parts.includes('matroska') || extension === 'mkv') return extension === 'webm' ? 'webm' : 'matroska';
  if (parts.includes('mov') || parts.includes('mp4') || ['mp4', 'm4v', 'm4a', 'mov'].includes(extension)) return extension === 'mov' ? 'mov' : 'mp4';
  if (parts.includes('mpegts') || ['ts', 'm2ts', 'mts'].includes(extension)) return 'mpegts';
  if (formatName) return parts[0]!;
  return { mp3: 'mp3', flac: 'flac', wav: 'wav', ogg: 'ogg', oga: 'ogg', opus: 'ogg', webm: 'webm', avi: 'avi' }[extension] ?? extension;
}

/** The audio stream asked for by language, else the file's default, else its first. */
function chooseAudio(streams: readonly AudioStreamInfo[], language: string | undefined): AudioStreamInfo | undefined {
  return (language !== undefined ? streams.find((stream) => sameLanguage(stream.language, language)) : undefined) ?? streams.find((stream) => stream.default) ?? streams[0];
}

/** The chosen subtitle stream when it is a picture one: text ones are served as WebVTT beside the media. */
function burnedSubtitle(streams: readonly EmbeddedSubtitleInfo[], language: string | undefined): EmbeddedSubtitleInfo | undefined {
  if (language === undefined) return undefined;
  const matching = streams.filter((stream) => sameLanguage(stream.language, language));
  return matching.some((stream) => stream.text) ? undefined : matching[0];
}

function videoRefusal(stream: VideoStreamInfo, device: DeviceProfile): string | undefined {
  const supports: VideoSupport[] = device.video.filter((support) => support.codec === stream.codec);
  if (supports.length === 0) return `${videoName(stream)} is not supported by ${device.name}`;
  const misses = supports.map((support) => videoFits(support, stream));
  if (misses.includes(undefined)) return undefined;
  return `${videoName(stream)} (${misses[0]!}) is beyond ${device.name}`;
}

function audioRefusal(stream: AudioStreamInfo, device: DeviceProfile): string | undefined {
  if (!device.audio.includes(stream.codec)) return `${audioName(stream)} is not supported by ${device.name}`;
  const passthrough = stream.codec === 'ac3' || stream.codec === 'eac3';
  if (!passthrough && (stream.channels ?? 2) > device.maxAudioChannels) return `${audioName(stream)} has ${stream.channels} channels, more than the ${device.maxAudioChannels} ${device.name} is set to play`;
  return undefined;
}
