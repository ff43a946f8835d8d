import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mediaToolPath, runMediaTool } from '../../processors/ffmpeg';

/** The bundled ffmpeg (4.1), the one the lake itself would run. */
const ffmpeg = (args: string[]) =>
  runMediaTool('ffmpeg', mediaToolPath('ffmpeg'), ['-v', 'error', '-y', ...args], { timeoutMs: 60_000, maxOutputBytes: 1024 * 1024 });

/** Seconds of silence, then as many of a 440 Hz tone at half of full scale: what the peaks must show. */
export const QUIET_SECONDS = 1;
export const LOUD_SECONDS = 1;
const silenceThenTone = [
  '-f', 'lavfi',
  '-i', `sine=frequency=440:sample_rate=44100:duration=${QUIET_SECONDS + LOUD_SECONDS},volume=0:enable='lt(t,${QUIET_SECONDS})',volume=4`,
];

/** What makeAudioMedia writes, by file name. */
export const AUDIO_MEDIA = {
  /** PCM, stereo. */
  wav: 'quiet-then-loud.wav',
  /** MP3 at 128 kbit/s, mono. */
  mp3: 'quiet-then-loud.mp3',
  /** Opus in WebM, mono, no picture: a browser's recording, which its container makes a video at ingest. */
  recording: 'recording.webm',
  /** AAC in an MP4, mono, no picture: a phone's voice memo saved as .mp4. */
  memo: 'voice-memo.mp4',
  /** AAC in an M4A cut off before its index (moov), as an interrupted copy leaves it. */
  truncated: 'cut-off.m4a',
} as const;

/** Small real audio made with ffmpeg's sine source, into `directory`; well under a second. */
export async function makeAudioMedia(directory: string): Promise<void> {
  const at = (name: string) => join(directory, name);
  const whole = at('whole.m4a');
  await Promise.all([
    ffmpeg([...silenceThenTone, '-ac', '2', at(AUDIO_MEDIA.wav)]),
    ffmpeg([...silenceThenTone, '-c:a', 'libmp3lame', '-b:a', '128k', at(AUDIO_MEDIA.mp3)]),
    ffmpeg([...silenceThenTone, '-c:a', 'aac', '-b:a', '64k', whole]),
    ffmpeg([...silenceThenTone, '-c:a', 'libopus', '-b:a', '48k', at(AUDIO_MEDIA.recording)]),
    ffmpeg([...silenceThenTone, '-c:a', 'aac', '-b:a', '64k', at(AUDIO_MEDIA.memo)]),
  ]);
  const m4a = readFileSync(whole);
  writeFileSync(at(AUDIO_MEDIA.truncated), m4a.subarray(0, Math.floor(m4a.length * 0.6)));
  rmSync(whole); // so a directory ingest sees the test files alone
}
