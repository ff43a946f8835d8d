import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newChainKey } from '../../log/chainKey';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { medialake } from './medialakeProcess';

const quiet = { MEDIALAKE_LOG_LEVEL: 'silent' };

describe('audit verify --log-file COPY, run elsewhere than the lake', () => {
  const directory = temporaryDirectory();
  const at = (...parts: string[]) => join(directory.path, ...parts);

  beforeAll(async () => {
    mkdirSync(at('copies'));
    writeFileSync(at('medialake.json'), JSON.stringify({ chain: { key: newChainKey() } }));
    for (const lake of ['configured', 'default']) {
      const config = lake === 'configured' ? ['--config', at('medialake.json')] : [];
      expect((await medialake([...config, '--data', at(lake), 'ingest', fixture('jpg/Canon_40D.jpg')], quiet)).code).toBe(0);
      mkdirSync(at('copies', lake));
      copyFileSync(at(lake, 'log.db'), at('copies', lake, 'log.db'));
    }
  }, 60_000);
  afterAll(() => directory.remove());

  it('checks the copy with the keyring of the global --config', async () => {
    const outcome = await medialake(['--config', at('medialake.json'), 'audit', 'verify', '--log-file', at('copies', 'configured', 'log.db')], quiet);
    expect(outcome.stdout).toContain('chain intact');
    expect(outcome.code).toBe(0);
  });

  it("checks the copy with the --data directory's chain.key when none lies beside the copy", async () => {
    const outcome = await medialake(['--data', at('default'), 'audit', 'verify', '--log-file', at('copies', 'default', 'log.db')], quiet);
    expect(outcome.stdout).toContain('chain intact');
    expect(outcome.code).toBe(0);
  });
});
