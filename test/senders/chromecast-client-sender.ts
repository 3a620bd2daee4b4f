// An independent npm sender for the tests: @foxxmd/chromecast-client (castv2 underneath,
// not castv2-client; every reply checked against its zod schema of the real messages).
// It has no discovery of its own: the device comes from mdns-lookup.ts.
import chromecastClient from '@foxxmd/chromecast-client';

const { DefaultMediaApp, PersistentClient, createPlatform } = chromecastClient;

/** What each action gave: its name, and the error in words if it failed. */
export interface SenderStep {
  readonly step: string;
  readonly ok: boolean;
  readonly detail?: unknown;
}

type Outcome<T> = { isOk: true; value: T } | { isOk: false; value: Error };
/** The package's Result, unwrapped its own way (a value or the error). */
const outcome = <T>(result: unknown): Outcome<T> => (result as { unwrapWithErr(): Outcome<T> }).unwrapWithErr();

/**
 * Drives the device at host:port as a user of the package would: launch the Default
 * Media Receiver, load `url`, pause, seek, set and mute the volume, stop; load
 * `shortUrl` and wait for it to finish; load `badUrl` and expect a failure.
 */
export async function driveWithChromecastClient(host: string, port: number, urls: { url: string; shortUrl: string; badUrl: string }, deadlineMs = 20_000): Promise<SenderStep[]> {
  const steps: SenderStep[] = [];
  const client = new PersistentClient({ host, port, timeout: 5000 });
  client.on('error', () => {});
  await client.connect();
  const platform = createPlatform(client);
  try {
    const joined = outcome<MediaApp>(await DefaultMediaApp.launchAndJoin({ client }));
    steps.push({ step: 'launched', ok: joined.isOk, detail: joined.isOk ? undefined : joined.value.message });
    if (!joined.isOk) return steps;
    const media = joined.value;
    const record = async (step: string, action: Promise<unknown>, check: (status: MediaStatus) => boolean = () => true): Promise<void> => {
      const result = outcome<MediaStatus>(await action);
      steps.push({ step, ok: result.isOk && check(result.value), detail: result.isOk ? { state: result.value.playerState, at: result.value.currentTime, idle: result.value.idleReason } : result.value.message });
    };
    const load = (contentId: string): Promise<unknown> => media.load({ media: { contentId, contentType: 'video/mp4', streamType: 'BUFFERED' }, autoplay: true });
    await record('loaded', load(urls.url));
    await untilStatus(media, (status) => status.playerState === 'PLAYING', deadlineMs);
    steps.push({ step: 'playing', ok: true });
    await record('paused', media.pause(), (status) => status.playerState === 'PAUSED');
    await record('seeked', media.seek({ currentTime: 1.5 }), (status) => status.currentTime >= 1.5);
    await record('resumed', media.play(), (status) => status.playerState === 'PLAYING' || status.playerState === 'BUFFERING');
    const volume = outcome<{ level?: number | null }>(await platform.setVolume({ level: 0.4 }));
    steps.push({ step: 'volume', ok: volume.isOk && Math.abs((volume.value.level ?? 0) - 0.4) < 0.01 });
    // The package sends `mute`, which no device reads (its bug, against real devices
    // too): `muted`, the field the Cast protocol has, goes through its same call.
    const muted = outcome<{ muted?: boolean | null }>(await platform.setVolume({ muted: true } as never));
    steps.push({ step: 'muted', ok: muted.isOk && muted.value.muted === true });
    await record('stopped', media.stop(), (status) => status.playerState === 'IDLE');
    await record('short loaded', load(urls.shortUrl));
    const ended = await untilStatus(media, (status) => status.playerState === 'IDLE' && status.idleReason === 'FINISHED', deadlineMs).then(
      () => true,
      () => false,
    );
    steps.push({ step: 'finished', ok: ended });
    const failed = outcome<MediaStatus>(await load(urls.badUrl));
    steps.push({ step: 'load failed', ok: !failed.isOk, detail: failed.isOk ? failed.value.playerState : failed.value.message });
    media.dispose();
    return steps;
  } finally {
    platform.close();
    client.close();
  }
}

interface MediaStatus {
  playerState: 'IDLE' | 'PLAYING' | 'BUFFERING' | 'PAUSED';
  currentTime: number;
  idleReason?: string | null;
}

interface MediaApp {
  load(data: { media: { contentId: string; contentType: string; streamType: 'BUFFERED' }; autoplay: boolean }): Promise<unknown>;
  getStatus(): Promise<unknown>;
  play(): Promise<unknown>;
  pause(): Promise<unknown>;
  stop(): Promise<unknown>;
  seek(data: { currentTime: number }): Promise<unknown>;
  dispose(): void;
}

/** Asks for the media status every 200 ms until `done`, or rejects after `ms`. */
async function untilStatus(media: MediaApp, done: (status: MediaStatus) => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const status = outcome<MediaStatus | undefined>(await media.getStatus());
    if (status.isOk && status.value && done(status.value)) return;
    if (Date.now() > deadline) throw new Error(`the media status did not reach what was waited for within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
