import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/fixtures';
import { CLI, medialake } from './medialakeProcess';

describe('serve as it starts', () => {
  const data = temporaryDirectory();
  afterAll(() => data.remove());

  it('names the projections an older version built, with the command that rebuilds them', async () => {
    expect((await medialake(['--data', data.path, 'users', 'add', 'olga', '--role', 'admin'], { MEDIALAKE_LOG_LEVEL: 'silent' })).code).toBe(0);
    // What a lake made before an upgrade holds: the cameras and audit projections at a version below the current one.
    const catalog = new Database(join(data.path, 'projections.db'));
    catalog.prepare("UPDATE live SET version = version - 1 WHERE name IN ('cameras', 'audit')").run();
    catalog.close();

    const server = spawn(process.execPath, [CLI, '--data', data.path, 'serve', '--port', '0'], {
      env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const giveUp = setTimeout(() => server.kill('SIGTERM'), 30_000); // a start that never says it ends the lines
    const lines: string[] = [];
    for await (const line of createInterface({ input: server.stdout! })) {
      lines.push(line);
      if (line.includes('rebuild')) break;
    }
    clearTimeout(giveUp);
    server.kill('SIGTERM');
    await once(server, 'exit');
    expect(lines).toContainEqual(expect.stringMatching(/^medialake: projections built by an older version .*`medialake projections rebuild (audit cameras|cameras audit)`$/));
  }, 60_000);
});
