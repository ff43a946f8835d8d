import { useEffect, useState, type MouseEvent } from 'react';
import type { AssetRecord } from '../api/types';
import { rendition } from './renditionAddress';

/** A scrub preview: the sprite tile that a WebVTT cue gives for a time span. */
interface ScrubCue {
  start: number;
  end: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

const seconds = (time: string) => time.split(':').reduce((total, part) => total * 60 + Number(part), 0);

/** The cues of the scrub-vtt rendition: "00:00:01.000 --> 00:00:02.000" then "…#xywh=x,y,w,h". */
function scrubCues(vtt: string): ScrubCue[] {
  const cue = /([\d:.]+) --> ([\d:.]+)\s*\n[^\n#]*#xywh=(\d+),(\d+),(\d+),(\d+)/g;
  return [...vtt.matchAll(cue)].map(([, start, end, x, y, width, height]) => ({
    start: seconds(start!),
    end: seconds(end!),
    x: Number(x),
    y: Number(y),
    width: Number(width),
    height: Number(height),
  }));
}

/** A bar under the video: hovering shows the frame at that time (the sprite), clicking seeks there. */
function ScrubBar({ record, duration, onSeek }: { record: AssetRecord; duration: number; onSeek: (time: number) => void }) {
  const [cues, setCues] = useState<ScrubCue[]>([]);
  const [at, setAt] = useState<{ left: number; cue: ScrubCue }>();
  const vtt = rendition(record, 'scrub-vtt');
  const sprite = rendition(record, 'scrub-sprite');
  useEffect(() => {
    if (vtt) void fetch(vtt).then(async (response) => (response.ok ? setCues(scrubCues(await response.text())) : undefined));
  }, [vtt]);
  const timeAt = (event: MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    return { left: event.clientX - box.left, time: fraction * duration };
  };
  const hover = (event: MouseEvent<HTMLDivElement>) => {
    const { left, time } = timeAt(event);
    const cue = cues.find((candidate) => time >= candidate.start && time < candidate.end) ?? cues.at(-1);
    setAt(cue ? { left, cue } : undefined);
  };
  if (!duration) return null;
  return (
    <div className="scrub" onMouseMove={hover} onMouseLeave={() => setAt(undefined)} onClick={(event) => onSeek(timeAt(event).time)} aria-hidden="true">
      {at && sprite && (
        <div
          className="scrub-preview"
          data-testid="scrub-preview"
          style={{
            left: at.left - at.cue.width / 2,
            width: at.cue.width,
            height: at.cue.height,
            background: `url(${sprite}) -${at.cue.x}px -${at.cue.y}px`,
          }}
        />
      )}
    </div>
  );
}

function VideoView({ record }: { record: AssetRecord }) {
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [duration, setDuration] = useState(0);
  const proxy = rendition(record, 'proxy');
  if (!proxy) return <p className="placeholder">The video is still being transcoded.</p>;
  return (
    <div className="video">
      <video ref={setVideo} src={proxy} poster={rendition(record, 'poster')} controls preload="metadata" onLoadedMetadata={(event) => setDuration(event.currentTarget.duration)} />
      <ScrubBar record={record} duration={duration} onSeek={(time) => video && (video.currentTime = time)} />
    </div>
  );
}

/** The asset as a person looks at it: the large proxy, the video player with scrub previews, or the audio player over its waveform. */
/** Why an asset shows no picture, by its status. */
const NO_PREVIEW: Record<AssetRecord['status'], string> = {
  processing: 'No preview yet: processing.',
  ready: 'No preview for this kind of file.',
  degraded: 'No preview: it could not be made (see why above).',
  failed: 'No preview: it could not be made (see why above).',
  deleted: 'Deleted.',
};

export function MediaView({ record }: { record: AssetRecord }) {
  const name = record.user.title ?? record.originalName;
  if (record.mediaType === 'video') return <VideoView record={record} />;
  if (record.mediaType === 'audio') {
    const waveform = rendition(record, 'waveform');
    return (
      <div className="audio">
        {waveform && <img src={waveform} alt={`waveform of ${name}`} className="waveform" />}
        {rendition(record, 'proxy') && <audio src={rendition(record, 'proxy')} controls preload="metadata" />}
      </div>
    );
  }
  const picture = rendition(record, 'proxy') ?? rendition(record, 'thumbnail');
  return picture ? <img className="proxy" src={picture} alt={name} /> : <p className="placeholder">{NO_PREVIEW[record.status]}</p>;
}
