// HLS on a plain <video>: natively where the browser plays it (Safari, Chrome on
// Android), else through hls.js, which NasCast serves itself (/app/hls.js): a receiver
// on a LAN may have no internet, and a CDN would see what is played.
import type HlsType from 'hls.js';

type HlsClass = typeof HlsType;

const HLS_TYPES = new Set(['application/vnd.apple.mpegurl', 'application/x-mpegurl', 'audio/mpegurl']);
let loading: Promise<HlsClass> | undefined;
const attached = new WeakMap<HTMLVideoElement, HlsType>();
const loads = new WeakMap<HTMLVideoElement, number>();

/** Whether a content type is an HLS playlist. */
export function isHls(contentType: string): boolean {
  return HLS_TYPES.has(contentType.split(';')[0]!.trim().toLowerCase());
}

/** Whether `video` needs hls.js for HLS (it does not play it natively). */
export function needsHlsJs(video: HTMLVideoElement): boolean {
  return video.canPlayType('application/vnd.apple.mpegurl') === '';
}

/**
 * Plays the HLS playlist at `url` on `video` through hls.js; resolves once the
 * playlist is read and the first segments are asked for, rejects with hls.js's fatal
 * error in words (a 503 from a busy server, a conversion that failed).
 */
export async function attachHls(video: HTMLVideoElement, url: string, onFatal: (reason: string) => void): Promise<void> {
  detachHls(video);
  const load = (loads.get(video) ?? 0) + 1;
  loads.set(video, load);
  const Hls = await loadHlsJs();
  // Another load or a stop came while hls.js was fetched: this one is over.
  if (loads.get(video) !== load) return;
  if (!Hls.isSupported()) throw new Error('this browser has neither HLS nor Media Source Extensions');
  const hls = new Hls({ maxBufferLength: 30, backBufferLength: 30, fragLoadPolicy: { default: { maxTimeToFirstByteMs: 30_000, maxLoadTimeMs: 120_000, timeoutRetry: { maxNumRetry: 2, retryDelayMs: 0, maxRetryDelayMs: 0 }, errorRetry: { maxNumRetry: 3, retryDelayMs: 1000, maxRetryDelayMs: 8000 } } } });
  attached.set(video, hls);
  await new Promise<void>((resolve, reject) => {
    let ready = false;
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      ready = true;
      resolve();
    });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      const status = data.response?.code;
      const reason = `${data.details}${status ? ` (HTTP ${status})` : ''}${data.error?.message ? `: ${data.error.message}` : ''}`;
      if (!ready) reject(new Error(`the stream could not be read: ${reason}`));
      else onFatal(`the stream stopped: ${reason}`);
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  });
}

/** Stops hls.js on `video`, if it runs there. */
export function detachHls(video: HTMLVideoElement): void {
  loads.set(video, (loads.get(video) ?? 0) + 1);
  attached.get(video)?.destroy();
  attached.delete(video);
}

function loadHlsJs(): Promise<HlsClass> {
  const existing = (globalThis as { Hls?: HlsClass }).Hls;
  if (existing) return Promise.resolve(existing);
  loading ??= new Promise<HlsClass>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/app/hls.js';
    script.onload = () => {
      const loaded = (globalThis as { Hls?: HlsClass }).Hls;
      if (loaded) resolve(loaded);
      else reject(new Error('hls.js did not load'));
    };
    script.onerror = () => {
      loading = undefined;
      reject(new Error('hls.js could not be fetched from NasCast'));
    };
    document.head.append(script);
  });
  return loading;
}
