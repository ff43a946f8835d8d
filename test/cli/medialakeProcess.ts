import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { engineAvailable } from '../engines/availability';

export const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without a log level, so each test says whether it asks for one. */
function environment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { MEDIALAKE_LOG_LEVEL: _, ...inherited } = process.env;
  return { ...inherited, MEDIALAKE_ACTOR: 'erin', ...extra };
}

/** Runs the CLI to its end with output to pipes; never rejects: the exit code is part of what a test checks. */
export function medialake(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: environment(env), timeout: 60_000, cwd }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `medialake serve ARGS` on port 0, as a worker runs it; resolves once it says it is serving, its stderr kept in `output`. */
export function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<{ process: ChildProcess; output: () => string }> {
  const server = spawn(process.execPath, [CLI, 'serve', ...args, '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    server.stderr!.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('medialake is serving')) resolve({ process: server, output: () => output });
    });
    server.once('exit', (code) => reject(new Error(`serve exited (code ${code}) before serving:\n${output}`)));
  });
}

/** Whether util-linux `script` is here to give the CLI a pseudo-terminal (under CI its absence fails the run). */
export const hasPseudoTerminal = engineAvailable(
  'script (a pseudo-terminal)',
  spawnSync('script', ['--version']).status === 0,
  'apt-get install bsdutils',
);

const quoted = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g;

/**
 * Runs the CLI on a pseudo-terminal, as a person at a terminal would, and
 * returns the screen's lines (stdout and stderr together; each control
 * sequence ends a line, so each redraw of a progress bar is a line of its own).
 */
export function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; lines: string[] }> {
  const command = [process.execPath, CLI, ...args].map(quoted).join(' ');
  return new Promise((resolve) => {
    execFile('script', ['--quiet', '--return', '--command', command, '/dev/null'], { env: environment(env) }, (error, stdout) =>
      resolve({
        code: error ? Number(error.code ?? 1) : 0,
        lines: stdout.replace(ESCAPES, '\n').split(/[\r\n]+/).filter((line) => line.trim()),
      }),
    );
  });
}
