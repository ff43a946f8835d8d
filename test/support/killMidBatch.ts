import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./projectingWorker.ts', import.meta.url));

/**
 * Runs test/support/projectingWorker.ts on the log `config` names and kills
 * it with SIGKILL in the middle of a batch, after it has applied a few.
 */
export async function killMidBatch(config: Record<string, unknown>, path: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const worker = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify({ logLevel: 'silent', ...config }), path], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  worker.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  let applied = 0;
  await new Promise<void>((resolve, reject) => {
    worker.once('exit', (code) => reject(new Error(`the worker exited (code ${code}) before it was killed:\n${output}`)));
    worker.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().trim().split('\n')) {
        if (line === 'applied') applied++;
        // A batch has begun and its effect is not stored yet: kill now.
        if (line === 'handling' && applied >= 2) resolve();
      }
    });
  });
  worker.kill('SIGKILL');
  await exited;
}
