import { fork, type ChildProcess } from 'node:child_process';

/** How a program ended: its exit code, or the signal that stopped it. */
export interface ProgramEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProgramOutput {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

export interface StartedProgram {
  /**
   * How it ended; rejected with the system's error (its `code`: ENOENT,
   * EACCES, …) where it could not be started, or where the launcher stopped.
   */
  ended: Promise<ProgramEnd>;
  /** Stops it (SIGKILL); it then ends with that signal. */
  kill(): void;
}

type LauncherMessage = { id: number } & (
  | { stdout: Uint8Array }
  | { stderr: Uint8Array }
  | { error: { code?: string; message: string } }
  | { exit: ProgramEnd }
);

interface Job extends ProgramOutput {
  resolve(end: ProgramEnd): void;
  reject(error: Error): void;
}

interface Launcher {
  child: ChildProcess;
  jobs: Map<number, Job>;
  idle?: NodeJS.Timeout;
}

/** A launcher with nothing to run this long is let go; the next program starts a new one. */
const IDLE_MS = 30_000;

let launcher: Launcher | undefined;
let nextId = 0;

/**
 * A launcher running a program keeps the lake's process alive; an idle one
 * does not, and goes after IDLE_MS (it exits when told to disconnect).
 */
function holdOpen(started: Launcher, busy: boolean): void {
  const { child } = started;
  clearTimeout(started.idle);
  if (busy) {
    child.ref();
    child.channel?.ref();
    return;
  }
  child.unref();
  child.channel?.unref();
  started.idle = setTimeout(() => {
    if (launcher === started) launcher = undefined;
    child.disconnect();
  }, IDLE_MS).unref();
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function deliver(jobs: Map<number, Job>, message: LauncherMessage): void {
  const job = jobs.get(message.id);
  if (!job) return;
  if ('stdout' in message) return job.stdout(asBuffer(message.stdout));
  if ('stderr' in message) return job.stderr(asBuffer(message.stderr));
  jobs.delete(message.id);
  if ('error' in message) job.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
  else job.resolve(message.exit);
}

function startLauncher(): Launcher {
  // No loader flags (tsx): the launcher is plain JavaScript, and starts quicker without them.
  const child = fork(new URL('./launcher.mjs', import.meta.url), [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const started: Launcher = { child, jobs: new Map() };
  child.on('message', (message: LauncherMessage) => {
    deliver(started.jobs, message);
    if (!started.jobs.size) holdOpen(started, false);
  });
  // Gone (killed, out of memory): its programs' callers hear so, and the next start makes a new one.
  const gone = (error: Error) => {
    if (launcher === started) launcher = undefined;
    for (const job of started.jobs.values()) job.reject(error);
    started.jobs.clear();
  };
  child.on('error', gone);
  child.on('exit', (code, signal) => {
    clearTimeout(started.idle);
    gone(new Error(`the program launcher stopped (${signal ?? `exit code ${code}`})`));
  });
  holdOpen(started, false);
  return started;
}

/**
 * Starts a program without a shell, through a small launcher process that
 * the lake starts once (processors/launcher.mjs): starting a program forks
 * the process that starts it, and a fork copies that process's page tables
 * while its event loop waits, 20 ms at 450 MB and 50 ms at 1 GB (a lake
 * holding a CLIP model), against about 1 ms for the launcher. The program's
 * output comes back in the order it was written.
 */
export function startProgram(path: string, args: string[], output: ProgramOutput, environment: Record<string, string> = {}): StartedProgram {
  const started = (launcher ??= startLauncher());
  const { child, jobs } = started;
  const id = nextId++;
  const ended = new Promise<ProgramEnd>((resolve, reject) => jobs.set(id, { ...output, resolve, reject }));
  holdOpen(started, true);
  child.send({ id, path, args, environment });
  return { ended, kill: () => void (jobs.has(id) && child.send({ kill: id })) };
}
