// While the now-playing bar shows, the subtitles move up above it instead of under it.

// Lines from the bottom of the picture: the bar is about five subtitle lines high.
const RAISED_LINE = -6;

/**
 * Lifts the cues of the video's subtitle tracks while `overlay` is on screen (shown and
 * not faded), and puts them back after. Cues that load later are placed as the bar is then.
 */
export function liftSubtitlesOverOverlay(video: HTMLVideoElement, overlay: HTMLElement): void {
  const raised = (): boolean => !overlay.hidden && !overlay.classList.contains('faded');
  const place = (): void => {
    const line = raised() ? RAISED_LINE : 'auto';
    for (const track of Array.from(video.textTracks)) {
      for (const cue of Array.from(track.cues ?? [])) {
        if (cue instanceof VTTCue && cue.line !== line) cue.line = line;
      }
    }
  };
  new MutationObserver(place).observe(overlay, { attributes: true, attributeFilter: ['class', 'hidden'] });
  // A track's cues arrive when it loads (its <track> fires 'load'), and a shown track's as it turns on.
  video.addEventListener('load', place, true);
  video.textTracks.addEventListener('change', place);
}
