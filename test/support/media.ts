import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { mediaToolPath, runMediaTool } from '../../processors/ffmpeg';

/** The bundled ffmpeg (4.1), the one the lake itself would run. */
const ffmpeg = (args: string[]) =>
  runMediaTool('ffmpeg', mediaToolPath('ffmpeg'), ['-v', 'error', '-y', ...args], { timeoutMs: 60_000, maxOutputBytes: 1024 * 1024 });

const picture = (seconds: number) => ['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=25:duration=${seconds}`];
const tone = (seconds: number, rate = 44100) => ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=${rate}`];
const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

/** What makeTestMedia writes, by file name, and what each one is known to hold. */
export const TEST_MEDIA = {
  /** H.264 + AAC, 2 s at 25 fps, a title and a creation time. */
  clip: 'clip.mp4',
  /** The clip stream-copied into a MOV, turned 90° clockwise for display, with the Eiffel Tower's ISO 6709 location. */
  rotated: 'rotated.mov',
  /** 25 frames at 25 fps, then 25 at 12.5: an average of 16.9 against a base rate of 25. */
  variable: 'variable.mp4',
  wav: 'tone.wav',
  mp3: 'tone.mp3',
  flac: 'tone.flac',
  opus: 'tone.opus',
  /** The clip cut off before its index (moov), as an interrupted copy leaves it. */
  truncated: 'truncated.mp4',
  /** The clip with its index first (faststart, as web exports are), cut off after 60% of its bytes: the index states all 2 s. */
  cutOff: 'cut-off.mp4',
  empty: 'empty.mp4',
  /** A text file named as a video. */
  mislabelled: 'notes.mp4',
} as const;

/** Small real media made with ffmpeg's test sources, into `directory`; well under a second. */
export async function makeTestMedia(directory: string): Promise<void> {
  const at = (name: string) => join(directory, name);
  await Promise.all([
    ffmpeg([...picture(2), ...tone(2), ...h264, '-c:a', 'aac', '-b:a', '64k', '-shortest', '-metadata', 'title=Test clip', '-metadata', 'creation_time=2024-05-01T10:20:30Z', at(TEST_MEDIA.clip)]),
    ffmpeg([...picture(2), '-vf', "setpts='if(lt(N,25),N,25+(N-25)*2)/25/TB'", '-vsync', 'vfr', ...h264, at(TEST_MEDIA.variable)]),
    ffmpeg([...tone(1), '-ac', '2', at(TEST_MEDIA.wav)]),
    ffmpeg([...tone(1), '-c:a', 'libmp3lame', '-b:a', '64k', '-id3v2_version', '3', '-metadata', 'title=A Tone', '-metadata', 'artist=Sine Band', '-metadata', 'album=Test Signals', at(TEST_MEDIA.mp3)]),
    ffmpeg([...tone(1), '-c:a', 'flac', '-metadata', 'TITLE=Lossless Tone', at(TEST_MEDIA.flac)]),
    ffmpeg([...tone(1, 48000), '-c:a', 'libopus', '-b:a', '32k', '-metadata:s:a', 'language=fra', at(TEST_MEDIA.opus)]),
  ]);
  // ffmpeg 4.1 writes a stream-copied rotate=R as the opposite turn (it reads its own file back as 360-R):
  // 270 stores the 90° clockwise turn of a phone's portrait video. Encoding (not copying) writes no turn at all.
  await ffmpeg(['-i', at(TEST_MEDIA.clip), '-c', 'copy', '-metadata:s:v:0', 'rotate=270', '-metadata', 'location=+48.8584+002.2945/', at(TEST_MEDIA.rotated)]);
  await ffmpeg(['-i', at(TEST_MEDIA.clip), '-c', 'copy', '-movflags', '+faststart', at(TEST_MEDIA.cutOff)]);
  const clip = readFileSync(at(TEST_MEDIA.clip));
  writeFileSync(at(TEST_MEDIA.truncated), clip.subarray(0, Math.floor(clip.length * 0.6)));
  const indexFirst = readFileSync(at(TEST_MEDIA.cutOff));
  writeFileSync(at(TEST_MEDIA.cutOff), indexFirst.subarray(0, Math.floor(indexFirst.length * 0.6)));
  writeFileSync(at(TEST_MEDIA.empty), '');
  writeFileSync(at(TEST_MEDIA.mislabelled), 'Shot list for Monday: harbour at dawn, then the market.\n');
}

/**
 * A broadcast recording: 2 s of H.264 and AAC in an MPEG transport stream,
 * with its service table naming the channel (.ts, as DVB and AVCHD record).
 */
export async function makeTransportStream(path: string): Promise<void> {
  await ffmpeg([...picture(2), ...tone(2), ...h264, '-c:a', 'aac', '-b:a', '64k', '-shortest', '-metadata', 'service_name=Channel One', '-f', 'mpegts', path]);
}

/** A broadcaster's master: 2 s of MPEG-2 video and PCM audio in MXF, as playout servers and cameras write it. */
export async function makeMxfMaster(path: string): Promise<void> {
  await ffmpeg([...picture(2), ...tone(2, 48000), '-c:v', 'mpeg2video', '-c:a', 'pcm_s16le', '-shortest', '-f', 'mxf', path]);
}

/**
 * An H.264/AAC MP4 of 4 s whose first second is black (as a fade-in or a
 * leader is): a poster taken from its first frame would be black.
 */
export async function makeDarkLeaderClip(path: string): Promise<void> {
  const black = ['-f', 'lavfi', '-i', 'color=black:size=160x120:rate=25:duration=1'];
  const join = ['-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0[v]', '-map', '[v]', '-map', '2:a'];
  await ffmpeg([...black, ...picture(3), ...tone(4), ...join, ...h264, '-c:a', 'aac', '-b:a', '64k', path]);
}

/**
 * A still with music, as a song's video or an exported slide is: one H.264
 * frame of odd size (161 × 121) and 6 s of AAC. Its picture ends long before
 * the poster's window, and its sound queues up behind the one frame.
 */
export async function makeStillWithMusic(path: string): Promise<void> {
  // The frame apart, then the sound beside it (in one run ffmpeg ends the file with the frame); 4:4:4, as x264 takes no odd side in 4:2:0.
  const frame = `${path}.frame.mp4`;
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=161x121:rate=25', '-frames:v', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv444p', frame]);
  await ffmpeg(['-i', frame, ...tone(6), '-map', '0:v', '-map', '1:a', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '64k', path]);
  rmSync(frame);
}

/** An H.264/AAC MP4 whose picture ends after 2 s and its sound after 6: the file states 6 s, most of which has no frame. */
export async function makeShortPictureClip(path: string): Promise<void> {
  await ffmpeg([...picture(2), ...tone(6), ...h264, '-c:a', 'aac', '-b:a', '64k', path]);
}

/**
 * VP8 and Opus in a WebM that states no duration, as a browser's
 * MediaRecorder writes it (a live stream's recorder cannot go back to the
 * header): ffmpeg's `live` mode writes it so. 3 s.
 */
export async function makeBrowserRecording(path: string): Promise<void> {
  await ffmpeg([...picture(3), ...tone(3, 48000), '-c:v', 'libvpx', '-c:a', 'libopus', '-live', '1', '-f', 'webm', path]);
}

/** What makeBrandedVideos writes: two films behind the same opening, and a copy of one. */
export const BRANDED = {
  /** 1 s of black, 1 s of a studio card (colour bars), then 6 s of a moving test pattern. */
  first: 'studio-first.mp4',
  /** The same 2 s opening, then 6 s of a different picture (a zoom into the Mandelbrot set). */
  second: 'studio-second.mp4',
  /** The first, re-encoded smaller at a lower quality, as a web export is. */
  copy: 'studio-first-web.mp4',
} as const;

/** Two different H.264 films that open alike (black, then the same card), and a re-encode of the first; a few seconds on 2 cores. */
export async function makeBrandedVideos(directory: string): Promise<void> {
  const at = (name: string) => join(directory, name);
  const opening = ['-f', 'lavfi', '-i', 'color=black:size=320x240:rate=25:duration=1', '-f', 'lavfi', '-i', 'smptebars=size=320x240:rate=25:duration=1'];
  const film = (source: string) => [...opening, '-f', 'lavfi', '-i', `${source}=size=320x240:rate=25`, '-filter_complex', '[2:v]trim=duration=6[f];[0:v][1:v][f]concat=n=3:v=1:a=0[v]', '-map', '[v]', ...h264];
  await Promise.all([ffmpeg([...film('testsrc2'), at(BRANDED.first)]), ffmpeg([...film('mandelbrot'), at(BRANDED.second)])]);
  await ffmpeg(['-i', at(BRANDED.first), '-vf', 'scale=240:180', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '32', '-pix_fmt', 'yuv420p', at(BRANDED.copy)]);
}

/**
 * A video of at least `bytes` that costs next to nothing to make: 4 s of
 * uncompressed 320 × 240 frames in an AVI, stream-copied end to end until it
 * is long enough (2 GiB: about 12 minutes of 22 Mbit/s; a few seconds of
 * disk writes). Decoding it is a copy, so what a test of it measures is the
 * lake's handling of a large original, not a decoder.
 */
export async function makeLargeVideo(path: string, bytes: number): Promise<void> {
  const segment = `${path}.segment.avi`;
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=4', '-c:v', 'rawvideo', '-pix_fmt', 'yuv420p', segment]);
  const loops = Math.ceil(bytes / statSync(segment).size);
  await ffmpeg(['-stream_loop', String(loops), '-i', segment, '-c', 'copy', path]);
  rmSync(segment);
}

/** An episode's chapters as ffmpeg reads them (FFMETADATA): the file's title, and two titled chapters over 8 s. */
const EPISODE_CHAPTERS = ';FFMETADATA1\ntitle=Ep 42\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=4000\ntitle=Intro\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=4000\nEND=8000\ntitle=Interview\n';

/**
 * 8 s with EPISODE_CHAPTERS: AAC in an M4A, as a podcast episode is, or
 * H.264 and AAC in an MP4 (a path ending .mp4), as a lecture is.
 */
export async function makeChapteredMedia(path: string): Promise<void> {
  const chapters = `${path}.chapters.txt`;
  writeFileSync(chapters, EPISODE_CHAPTERS);
  const isVideo = extname(path) === '.mp4';
  const inputs = [...tone(8), ...(isVideo ? picture(8) : []), '-i', chapters];
  const streams = ['-map', '0:a', ...(isVideo ? ['-map', '1:v', ...h264] : [])];
  const fromChapters = isVideo ? '2' : '1';
  await ffmpeg([...inputs, ...streams, '-map_metadata', fromChapters, '-map_chapters', fromChapters, '-c:a', 'aac', '-b:a', '64k', path]);
  rmSync(chapters);
}

/** The titles of a file's chapters, as ffprobe reads them (a chapter without one as ''). */
export async function chapterTitles(path: string): Promise<string[]> {
  const args = ['-v', 'error', '-show_chapters', '-of', 'json', path];
  const { chapters } = JSON.parse(await runMediaTool('ffprobe', mediaToolPath('ffprobe'), args, { timeoutMs: 30_000, maxOutputBytes: 1024 * 1024 })) as { chapters: { tags?: { title?: string } }[] };
  return chapters.map((chapter) => chapter.tags?.title ?? '');
}

/** What makeTaggedAudio writes, by file name: tags that sit where a reader may not look, or that would disguise what is shown. */
export const TAGGED_AUDIO = {
  /** An MP3 whose ID3 language (TLAN) is Arabic: on the file, not the stream. */
  arabic: 'arabic.mp3',
  /** A FLAC whose LANGUAGE comment is Japanese: on the file, not the stream. */
  japanese: 'japanese.flac',
  /** A broadcast WAV (BWF) from a field recorder: its bext origination date 2018-03-02 and time 09:08:07. */
  fieldRecording: 'field-recording.wav',
  /** An MP3 titled "Safe\u202Egnp.exe Title" (shown as "Safeexe.png Title"), its album "Bell\aAlbum", a comment of two lines and a tab. */
  disguised: 'disguised.mp3',
} as const;

/** The files of TAGGED_AUDIO, a second each; well under a second. */
export async function makeTaggedAudio(directory: string): Promise<void> {
  const at = (name: string) => join(directory, name);
  const metadata = (...tags: string[]) => tags.flatMap((tag) => ['-metadata', tag]);
  const bext = ['-write_bext', '1', ...metadata('originator=Field Recorder', 'origination_date=2018-03-02', 'origination_time=09:08:07')];
  await Promise.all([
    ffmpeg([...tone(1), '-c:a', 'libmp3lame', '-b:a', '64k', '-id3v2_version', '3', ...metadata('language=ara'), at(TAGGED_AUDIO.arabic)]),
    ffmpeg([...tone(1), '-c:a', 'flac', ...metadata('LANGUAGE=jpn'), at(TAGGED_AUDIO.japanese)]),
    ffmpeg([...tone(1), ...bext, at(TAGGED_AUDIO.fieldRecording)]),
    ffmpeg([...tone(1), '-c:a', 'libmp3lame', '-b:a', '64k', '-id3v2_version', '3', ...metadata('title=Safe\u202Egnp.exe Title', 'album=Bell\x07Album', 'comment=Recorded live\nSide A\tTrack 1'), at(TAGGED_AUDIO.disguised)]),
  ]);
}

/** What makeSearchMedia writes, by file name: a video or audio file of each resolution class and duration bucket (mediaClasses.ts). */
export const SEARCH_MEDIA = {
  /** 1280×720 H.264 + AAC, 61 s at 1 fps: hd, 1–10 min. */
  hdMinute: 'hd-minute.mp4',
  /** 1080×1920 H.264, no sound, 2 s: portrait full HD (fhd), under a minute. */
  portrait: 'portrait.mp4',
  /** 3840×2160 H.264, one frame: uhd. */
  uhd: 'uhd.mp4',
  /** MP3, 601 s of silence: 10–60 min. */
  talk: 'talk.mp3',
  /** MP3, 3601 s of silence: over an hour. */
  hour: 'hour.mp3',
} as const;

/** Media for search's video and audio fields, cheap to make: few frames, silence at a low rate; a few seconds. */
/** The talk's ID3 tags: a field recording's title, artist, album and genre. */
const TALK_TAGS = ['-id3v2_version', '3', ...['title=Morning Chorus at Slapton', 'artist=Henrietta Birdwhistle', 'album=Devon Field Recordings', 'genre=Nature'].flatMap((tag) => ['-metadata', tag])];

export async function makeSearchMedia(directory: string): Promise<void> {
  const at = (name: string) => join(directory, name);
  const video = (size: string, seconds: number, rate: number) => ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${rate}:duration=${seconds}`];
  const silence = (seconds: number) => ['-f', 'lavfi', '-i', `anullsrc=channel_layout=mono:sample_rate=8000`, '-t', String(seconds)];
  await Promise.all([
    ffmpeg([...video('1280x720', 61, 1), ...silence(61), ...h264, '-c:a', 'aac', '-b:a', '16k', '-shortest', at(SEARCH_MEDIA.hdMinute)]),
    ffmpeg([...video('1080x1920', 2, 5), ...h264, at(SEARCH_MEDIA.portrait)]),
    ffmpeg([...video('3840x2160', 1, 1), ...h264, at(SEARCH_MEDIA.uhd)]),
    ffmpeg([...silence(601), '-c:a', 'libmp3lame', '-b:a', '8k', ...TALK_TAGS, at(SEARCH_MEDIA.talk)]),
    ffmpeg([...silence(3601), '-c:a', 'libmp3lame', '-b:a', '8k', at(SEARCH_MEDIA.hour)]),
  ]);
}

/** What makeDifficultMedia writes, by file name: files whose header misleads, or that need more than decoding to look right. */
export const DIFFICULT_MEDIA = {
  /** ADTS AAC, 3 s of silence then 3 s of noise: no index, and ffmpeg guesses its length (≈ 170 s) from the silence's bit rate. */
  adts: 'silence-then-noise.aac',
  /** The same as a VBR MP3 without a Xing header: its length guessed (≈ 28 s) from the first frame's bit rate. */
  mp3: 'silence-then-noise.mp3',
  /** Two 2 s transport streams joined with cat, the second's clock 2 h later: 4 s, though the timestamps span 2 h. */
  joined: 'joined.ts',
  /** A WAV in RF64 form (as broadcast recorders write past 4 GiB): 1 s, mono, 24-bit. */
  rf64: 'broadcast.wav',
  /** Raw DV, as a camcorder writes it: 0.4 s PAL with stereo PCM. */
  dv: 'camcorder.dv',
  /** Apple's Core Audio Format: 1 s of PCM. */
  caf: 'tone.caf',
  /** A raw H.264 stream, which no container names: 2 s. */
  rawH264: 'raw.h264',
  /** MPEG-2 interlaced (top field first) with a bar moving fast sideways: each frame woven from two moments. */
  interlaced: 'interlaced.mpg',
  /** HEVC 10-bit HDR10 (PQ, BT.2020) of a flat field at about 92 nits: near white on an SDR screen once tone-mapped. */
  pq: 'hdr10.mp4',
  /** 5 s of black, then 2 s of picture: a black leader over most of the poster's window. */
  blackLeader: 'black-leader.mp4',
  /** A MOV with a picture and two mono PCM tracks, a 440 Hz tone on the first and 1 kHz on the second, as a broadcast master's channels. */
  monoTracks: 'mono-tracks.mov',
  /** A 5 min MP3 at 44.1 kHz without a Xing header: 30 copies of a 10 s one, joined byte for byte (MP3 frames stand alone). */
  longMp3: 'long-talk.mp3',
  /** A FLAC with cover art, cut off after 5000 bytes, in its picture block: no audio frame, and the header ends early. */
  cutFlac: 'cut-in-header.flac',
  /** The first 30 bytes of that FLAC: its marker and part of its stream info. */
  stubFlac: 'stub.flac',
  /** An MXF (MPEG-2 and PCM, as a broadcast camera writes it) of 4 s, cut off after 60 % of its bytes: its header states 4 s, and ffmpeg says nothing of the cut. */
  cutMxf: 'half-copied.mxf',
  /** A FLAC cut at half its bytes: its header states the whole 4 s. */
  halfFlac: 'half-copied.flac',
} as const;

/** The files of DIFFICULT_MEDIA, small (160 × 120 where the format allows) and short: a few seconds on 2 cores. */
export async function makeDifficultMedia(directory: string): Promise<void> {
  const at = (name: string) => join(directory, name);
  const silenceThenNoise = ['-f', 'lavfi', '-i', 'anullsrc=r=22050:cl=mono', '-f', 'lavfi', '-i', 'anoisesrc=d=3:c=white:r=22050:a=0.5', '-filter_complex', '[0]atrim=0:3[s];[s][1]concat=n=2:v=0:a=1'];
  const part = (name: string, offset: number) =>
    ffmpeg([...picture(2), ...tone(2), ...h264, '-c:a', 'aac', '-b:a', '64k', '-shortest', '-output_ts_offset', String(offset), '-f', 'mpegts', at(name)]);
  const movingBar = ['-f', 'lavfi', '-i', 'color=black:s=320x120:r=50:d=2', '-f', 'lavfi', '-i', 'color=white:s=40x120:r=50:d=2'];
  await Promise.all([
    ffmpeg([...silenceThenNoise, '-c:a', 'aac', '-b:a', '128k', at(DIFFICULT_MEDIA.adts)]),
    ffmpeg([...silenceThenNoise, '-c:a', 'libmp3lame', '-q:a', '0', '-write_xing', '0', at(DIFFICULT_MEDIA.mp3)]),
    part('first.part.ts', 0),
    part('second.part.ts', 7200),
    ffmpeg([...tone(1, 48000), '-c:a', 'pcm_s24le', '-rf64', 'always', at(DIFFICULT_MEDIA.rf64)]),
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=720x576:rate=25:duration=0.4', ...tone(0.4, 48000), '-c:v', 'dvvideo', '-pix_fmt', 'yuv420p', '-c:a', 'pcm_s16le', '-ac', '2', '-shortest', '-f', 'dv', at(DIFFICULT_MEDIA.dv)]),
    ffmpeg([...tone(1), '-c:a', 'pcm_s16le', '-f', 'caf', at(DIFFICULT_MEDIA.caf)]),
    ffmpeg([...picture(2), ...h264, '-f', 'h264', at(DIFFICULT_MEDIA.rawH264)]),
    ffmpeg([...movingBar, '-filter_complex', "[0][1]overlay=x='mod(t*600\\,320)':y=0,tinterlace=merge,setfield=tff", '-c:v', 'mpeg2video', '-flags', '+ilme+ildct', '-top', '1', '-b:v', '4M', '-f', 'vob', at(DIFFICULT_MEDIA.interlaced)]),
    ffmpeg([
      '-f', 'lavfi', '-i', 'color=c=0x7F7F7F:s=160x120:r=25:d=1', '-vf', 'format=yuv420p10le', '-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le',
      '-color_primaries', 'bt2020', '-color_trc', 'smpte2084', '-colorspace', 'bt2020nc', '-x265-params', 'colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:log-level=error', at(DIFFICULT_MEDIA.pq),
    ]),
    ffmpeg(['-f', 'lavfi', '-i', 'color=black:size=160x120:rate=25:duration=5[b];testsrc=size=160x120:rate=25:duration=2[t];[b][t]concat=n=2:v=1:a=0', ...h264, at(DIFFICULT_MEDIA.blackLeader)]),
    ffmpeg([...picture(2), '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=1000:duration=2', '-map', '0:v', '-map', '1:a', '-map', '2:a', ...h264, '-c:a', 'pcm_s24le', at(DIFFICULT_MEDIA.monoTracks)]),
    ffmpeg([...tone(10), '-c:a', 'libmp3lame', '-b:a', '32k', '-write_xing', '0', '-id3v2_version', '0', at('segment.part.mp3')]),
    ffmpeg([...tone(3), ...picture(1), '-map', '0:a', '-map', '1:v', '-frames:v', '1', '-c:a', 'flac', '-c:v', 'mjpeg', '-disposition:v', 'attached_pic', at('whole.part.flac')]),
    ffmpeg([...picture(4), ...tone(4, 48000), '-c:v', 'mpeg2video', '-b:v', '2M', '-pix_fmt', 'yuv422p', '-c:a', 'pcm_s16le', '-f', 'mxf', at('whole.part.mxf')]),
    ffmpeg([...tone(4), '-c:a', 'flac', at('whole4.part.flac')]),
  ]);
  const wholeFlac = readFileSync(at('whole4.part.flac'));
  writeFileSync(at(DIFFICULT_MEDIA.halfFlac), wholeFlac.subarray(0, Math.floor(wholeFlac.length / 2)));
  rmSync(at('whole4.part.flac'));
  writeFileSync(at(DIFFICULT_MEDIA.longMp3), Buffer.concat(Array.from({ length: 30 }, () => readFileSync(at('segment.part.mp3')))));
  const flac = readFileSync(at('whole.part.flac'));
  writeFileSync(at(DIFFICULT_MEDIA.cutFlac), flac.subarray(0, 5000));
  writeFileSync(at(DIFFICULT_MEDIA.stubFlac), flac.subarray(0, 30));
  rmSync(at('segment.part.mp3'));
  rmSync(at('whole.part.flac'));
  const mxf = readFileSync(at('whole.part.mxf'));
  writeFileSync(at(DIFFICULT_MEDIA.cutMxf), mxf.subarray(0, Math.floor(mxf.length * 0.6)));
  rmSync(at('whole.part.mxf'));
  writeFileSync(at(DIFFICULT_MEDIA.joined), Buffer.concat([readFileSync(at('first.part.ts')), readFileSync(at('second.part.ts'))]));
  rmSync(at('first.part.ts'));
  rmSync(at('second.part.ts'));
}
