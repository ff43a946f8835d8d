import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startProgram, type ProgramOutput } from '../../processors/programLauncher';

/** Where a program's output goes, and all of it so far as text. */
function collected(): { output: ProgramOutput; text(): { stdout: string; stderr: string } } {
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  return {
    output: { stdout: (chunk) => void chunks.stdout.push(chunk), stderr: (chunk) => void chunks.stderr.push(chunk) },
    text: () => ({ stdout: Buffer.concat(chunks.stdout).toString(), stderr: Buffer.concat(chunks.stderr).toString() }),
  };
}

const node = (script: string, output: ProgramOutput) => startProgram(process.execPath, ['-e', script], output);

/** A process's command line; empty once it has gone. */
const commandLine = (pid: string) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/** The launcher processes this test's process has started (processors/launcher.mjs), from /proc: its children, by their command lines. */
const launchers = () =>
  readFileSync(`/proc/self/task/${process.pid}/children`, 'utf8')
    .split(' ')
    .filter((pid) => pid && commandLine(pid).includes('launcher.mjs'))
    .map(Number);

describe('programs started through the launcher process', () => {
  it('give their output whole and in order, and their exit code', async () => {
    const { output, text } = collected();
    const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i}`);
    const program = node(`for (let i = 0; i < 50000; i++) process.stdout.write('line ' + i + '\\n'); console.error('done'); process.exitCode = 3`, output);
    expect(await program.ended).toEqual({ code: 3, signal: null });
    expect(text()).toEqual({ stdout: `${lines.join('\n')}\n`, stderr: 'done\n' });
  });

  it('that cannot be started fail with the system error', async () => {
    await expect(startProgram('/no/such/program', [], collected().output).ended).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('are stopped when killed', async () => {
    const program = node('setTimeout(() => {}, 60_000)', collected().output);
    program.kill();
    expect(await program.ended).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('fail when the launcher goes, and the next one starts a new launcher', async () => {
    // Left running by the launcher killed under it, until it ends by itself.
    const waiting = node('setTimeout(() => {}, 5_000)', collected().output);
    await expect.poll(launchers).not.toEqual([]);
    for (const pid of launchers()) process.kill(pid, 'SIGKILL');
    await expect(waiting.ended).rejects.toThrow(/launcher stopped \(SIGKILL\)/);
    const { output, text } = collected();
    expect(await node("process.stdout.write('again')", output).ended).toEqual({ code: 0, signal: null });
    expect(text().stdout).toBe('again');
  });
});
