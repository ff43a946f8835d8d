// The process that starts the lake's programs (ffmpeg, ffprobe) for it:
// processors/programLauncher.ts. Starting a program forks the process that
// starts it, and a fork copies that process's page tables while its event
// loop waits: 1 ms for this small process, 20–50 ms for a lake holding a
// model in memory. Plain JavaScript, so it starts without a TypeScript loader.
import { spawn } from 'node:child_process';

/** The programs running, by the lake's id for each. */
const running = new Map();

/** Starts a program in the lake's environment, with `environment`'s variables set over it. */
function start({ id, path, args, environment }) {
  const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...environment } });
  running.set(id, child);
  child.stdout.on('data', (chunk) => process.send({ id, stdout: chunk }));
  child.stderr.on('data', (chunk) => process.send({ id, stderr: chunk }));
  child.on('error', (error) => {
    running.delete(id);
    process.send({ id, error: { code: error.code, message: error.message } });
  });
  // After both streams have ended: the lake has every chunk before it hears of the end.
  child.on('close', (code, signal) => {
    running.delete(id);
    process.send({ id, exit: { code, signal } });
  });
}

process.on('message', (message) => {
  if (message.kill !== undefined) running.get(message.kill)?.kill('SIGKILL');
  else start(message);
});

// The lake has gone (it exited, or was killed): so do its programs.
process.on('disconnect', () => {
  for (const child of running.values()) child.kill('SIGKILL');
  process.exit(0);
});
