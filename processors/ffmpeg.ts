import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { InvalidMediaError } from './processor';
import { startProgram, type ProgramEnd } from './programLauncher';

/** The programs time-based media is read and made with (docs/media.md). */
export type MediaTool = 'ffmpeg' | 'ffprobe';

const PACKAGES: Record<MediaTool, string> = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' };

/**
 * The binary the npm package ships for this platform, or undefined where it
 * ships none: the packages throw when imported on a platform they lack, so
 * they are required only here, when asked.
 */
function bundledPath(tool: MediaTool): string | undefined {
  try {
    return (createRequire(import.meta.url)(PACKAGES[tool]) as { path: string }).path;
  } catch {
    return undefined;
  }
}

/**
 * The bundled programs are static builds: reading an MPEG transport stream's
 * service table they load the host's character set modules (glibc's gconv),
 * built for another glibc, and crash (ffprobe 5.2 on Debian 12). Pointed at
 * none, they convert with glibc's built-in sets, which is all they need.
 */
const STATIC_BUILD_ENVIRONMENT = { GCONV_PATH: '/nonexistent' };

/** The environment a tool at `path` runs in: the lake's, and for a bundled static build, STATIC_BUILD_ENVIRONMENT. */
const environmentFor = (tool: MediaTool, path: string) => (path === bundledPath(tool) ? STATIC_BUILD_ENVIRONMENT : {});

/** The configured program (processors.ffprobe.path, MEDIALAKE_FFPROBE), else the npm package's, else the one on PATH. */
export function mediaToolPath(tool: MediaTool, configured?: string): string {
  return configured ?? bundledPath(tool) ?? tool;
}

/**
 * The program cannot be run, or does not answer as it should: nothing to do
 * with the file, so the runner retries it as an infrastructure error.
 */
export class MediaToolUnavailableError extends Error {
  readonly code: string;
  constructor(
    readonly tool: MediaTool,
    readonly path: string,
    reason: string,
  ) {
    super(
      `${tool} at ${path} ${reason}; run npm ci to install the bundled one, or point processors.${tool}.path ` +
        `(MEDIALAKE_${tool.toUpperCase()}) at a working ${tool}`,
    );
    this.code = `${tool.toUpperCase()}_UNAVAILABLE`;
  }
}

/**
 * What a tool says names its input and outputs as they were given: a path in
 * the lake's data directory, a presigned URL whose query holds a credential
 * and signature (a session token on a role). The message becomes a failure
 * event on the log for good, shown to whoever may see the asset: it keeps
 * their file names alone, and any other URL without its query.
 */
function namesOnly(text: string, args: string[]): string {
  const located = args.filter((arg) => /^(\/|file:|https?:\/\/)/i.test(arg)).sort((a, b) => b.length - a.length);
  let named = text;
  for (const arg of located) named = named.replaceAll(arg, basename(arg.replace(/[?#].*$/, '')));
  return named.replace(/(https?:\/\/[^\s?#]*)[?#]\S*?(?=:?(?:\s|$))/gi, '$1');
}

/** The program ran and refused: what it said on stderr is the reason. */
export class MediaToolFailedError extends Error {
  readonly code: string;
  constructor(
    readonly tool: MediaTool,
    { code, signal }: ProgramEnd,
    readonly stderr: string,
    /** The local file it read, by the name `stderr` gives it; undefined where it read a URL. */
    readonly localInput?: string,
  ) {
    const ended = code !== null ? `exited with ${code}` : `was stopped by ${signal}${signal === 'SIGSEGV' ? ' (it crashed)' : ''}`;
    super(`${tool} ${ended}: ${stderr.trim().split('\n').slice(-3).join(' ') || 'no message'}`);
    this.code = `${tool.toUpperCase()}_FAILED`;
  }
}

export interface RunOptions {
  /** A stalled read (a URL that stops answering) ends here. */
  timeoutMs: number;
  /** Refuses output past this, rather than holding it. */
  maxOutputBytes: number;
  /** Stops the tool when aborted (a pipeline node's try ran out of time). */
  signal?: AbortSignal;
}

/** The end of what a tool says on stderr holds the reason; a chatty decoder cannot fill memory. */
const STDERR_KEPT = 8192;

/** What ffmpeg says, exiting 0 all the same, of a file that ends before the length its index states: it read up to the cut. */
const CUT_OFF = /partial file/;

/** The local file a tool reads (`-i file:PATH`, as inputArgs gives it), by the name namesOnly gives it; undefined for a URL. */
function localInputName(args: string[]): string | undefined {
  const at = args.indexOf('-i');
  const input = at >= 0 ? args[at + 1] : undefined;
  return input?.startsWith('file:') ? namesOnly(input, args) : undefined;
}

/**
 * How much shorter than the original's stated length a proxy may be and still
 * be its whole: AAC's priming and padding, a variable rate set to its average
 * and a last frame's length move it by a few hundredths; a partial copy loses
 * seconds. 5 % of a long film, at least 1 s of a short clip.
 */
const shortfallAllowed = (seconds: number) => Math.max(1, seconds * 0.05);

/**
 * A proxy much shorter than the length the original states is a partial
 * copy: ffmpeg reads a cut file up to the cut and exits 0, and only the MP4
 * demuxer says so (CUT_OFF); an MXF or a FLAC keeps its stated length in its
 * header too, and says nothing, so this catches any container. Files with no
 * index are measured, not stated (mediaProbe.ts), and a WAV's length is its
 * data's, so their proxy is as long as what is there.
 */
export function wholeLength(statedSeconds: number | undefined, proxySeconds: number | undefined): void {
  if (statedSeconds === undefined || proxySeconds === undefined || statedSeconds - proxySeconds <= shortfallAllowed(statedSeconds)) return;
  const [ends, states] = [proxySeconds, statedSeconds].map((s) => s.toFixed(1));
  throw new InvalidMediaError('TRUNCATED_MEDIA', `the file ends at ${ends} s, before the ${states} s it states: it was cut off (copied or uploaded in part)`);
}

/** Errors of a program that cannot be started at all: nothing to do with the file. */
const UNRUNNABLE = /^(ENOENT|EACCES|ENOEXEC|EISDIR|ENOTDIR)$/;

interface ProgramRun {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Each piece of stdout as it comes; what it throws stops the tool and fails the run. */
  onStdout(chunk: Buffer): void;
}

/**
 * Runs a media tool without a shell (processors/programLauncher.ts), stopped
 * past its time or when aborted; a typed error says whose fault a failure is.
 */
function runTool(tool: MediaTool, path: string, args: string[], run: ProgramRun): Promise<void> {
  const { signal } = run;
  if (signal?.aborted) return Promise.reject(signal.reason);
  let stderr = '';
  let failure: unknown;
  const output = {
    stdout: (chunk: Buffer) => {
      try {
        run.onStdout(chunk);
      } catch (error) {
        stop(error);
      }
    },
    stderr: (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT)),
  };
  const program = startProgram(path, args, output, environmentFor(tool, path));
  const stop = (error: unknown) => {
    failure ??= error;
    program.kill();
  };
  const timer = setTimeout(() => stop(new Error(`${tool} took longer than ${run.timeoutMs} ms and was stopped`)), run.timeoutMs);
  const aborted = () => stop(signal!.reason);
  signal?.addEventListener('abort', aborted, { once: true });
  return program.ended
    .then(
      (end) => {
        if (failure) throw failure;
        if (end.code !== 0) throw new MediaToolFailedError(tool, end, namesOnly(stderr, args), localInputName(args));
        if (CUT_OFF.test(stderr)) throw new InvalidMediaError('TRUNCATED_MEDIA', 'the file ends before the length its index states: it was cut off (copied or uploaded in part)');
      },
      (error: NodeJS.ErrnoException) => {
        throw typeof error.code === 'string' && UNRUNNABLE.test(error.code) ? new MediaToolUnavailableError(tool, path, `cannot be run (${error.code})`) : error;
      },
    )
    .finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
    });
}

/** Runs a media tool and returns its stdout, refused past options.maxOutputBytes. */
export async function runMediaTool(tool: MediaTool, path: string, args: string[], options: RunOptions): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  await runTool(tool, path, args, {
    ...options,
    onStdout: (chunk) => {
      size += chunk.length;
      if (size > options.maxOutputBytes) throw new Error(`${tool} wrote more than ${options.maxOutputBytes} bytes and was stopped`);
      chunks.push(chunk);
    },
  });
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs a media tool and hands its stdout to `onChunk` as it comes, holding none of it (a long decode). */
export function streamMediaTool(tool: MediaTool, path: string, args: string[], onChunk: (chunk: Buffer) => void, timeoutMs: number): Promise<void> {
  return runTool(tool, path, args, { timeoutMs, onStdout: onChunk });
}

/**
 * How ffmpeg and ffprobe open the original: a local path as a file (never
 * read as an option or a protocol), a URL over HTTP(S) only. Either way the
 * protocols are limited to those, so a crafted file (a playlist, a concat
 * list) cannot make them open anything else.
 */
export function inputArgs(location: string): string[] {
  const remote = /^https?:\/\//i.test(location);
  return remote
    ? ['-protocol_whitelist', 'http,https,tcp,tls', '-rw_timeout', '30000000', '-i', location]
    : ['-protocol_whitelist', 'file', '-i', `file:${location}`];
}

/** What ffmpeg and ffprobe say on stderr about a file they cannot read: the file is at fault, not the lake. */
const UNREADABLE = /Invalid data found|moov atom not found|could not find codec parameters|End of file|truncat|corrupt|error while decoding|Invalid NAL|Failed to read frame size|Could not seek to/i;

/**
 * What a demuxer says of a file whose header ends early (a FLAC cut off in
 * its metadata blocks): reading it failed, as a dropped connection would.
 * Of a local file it is the file's fault; of a URL it may be the network's,
 * and is retried.
 */
const cutLocalFile = (error: MediaToolFailedError) => error.localInput !== undefined && error.stderr.includes(`${error.localInput}: Input/output error`);

/**
 * A failure the file caused, as bad input (not retried) with the tool's own
 * words; anything else (a missing tool, a timeout, a URL that answers 403)
 * as it was, to be retried.
 */
export function asBadInput(error: unknown): unknown {
  if (error instanceof MediaToolFailedError && (UNREADABLE.test(error.stderr) || cutLocalFile(error))) {
    return new InvalidMediaError('UNREADABLE_MEDIA', `the file cannot be read as video or audio: ${error.message}`);
  }
  return error;
}
