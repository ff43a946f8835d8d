import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetIdForContent } from '../../schemas/ids';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { medialake } from './medialakeProcess';

const PHOTO = fixture('jpg/Canon_40D.jpg');
const TYPO = 'a0000000000000000000000000000000';

/** Commands given asset ids by name: one not in the lake is listed as skipped and the exit says part was not done (2, as ingest). */
describe('asset ids named that are not in the lake', () => {
  const data = temporaryDirectory();
  const run = (...args: string[]) => medialake(['--data', data.path, ...args], { MEDIALAKE_LOG_LEVEL: 'silent' });
  const assetId = assetIdForContent(createHash('sha256').update(readFileSync(PHOTO)).digest('hex'));
  beforeAll(async () => expect((await run('ingest', PHOTO)).code).toBe(0));
  afterAll(() => data.remove());

  it('reprocess takes the asset that is there, lists the typo as skipped and exits 2', async () => {
    const { code, stdout } = await run('reprocess', assetId, TYPO);
    expect({ code, stdout }).toEqual({ code: 2, stdout: `requested 1, skipped 1\n  skipped ${TYPO}: no such asset\n` });
  });

  it('pipelines run of a default pipeline exits 2 on an id that is not in the lake, and its JSON still says what was requested', async () => {
    const { code, stdout } = await run('pipelines', 'run', 'default-images', assetId, TYPO, '--json');
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ pipeline: 'default-images', requested: [assetId], skipped: [{ assetId: TYPO, reason: 'no such asset' }] });
  });

  it('pipelines run exits 2 when the only id named is not in the lake', async () => {
    const { code, stdout } = await run('pipelines', 'run', 'default-images', TYPO);
    expect({ code, stdout }).toEqual({ code: 2, stdout: `default-images v1: requested 0, skipped 1\n  skipped ${TYPO}: no such asset\n` });
  });

  it('exits 0 when every id named was taken', async () => {
    expect((await run('pipelines', 'run', 'default-images', assetId)).code).toBe(0);
  });
});
