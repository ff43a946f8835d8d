import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlitePrincipalDirectory } from '../../projections/principals/sqlite';
import { temporaryDirectory } from '../support/fixtures';
import { ingestedDraft, storedHistory } from '../support/events';
import { waitFor } from '../support/waitFor';

const directory = temporaryDirectory();
afterAll(() => directory.remove());

describe('a SQLite projection that folds nothing of a batch', () => {
  it('writes the positions it reached within about a second, without another batch, where another process folding into the same file reads them', async () => {
    const path = join(directory.path, 'principals.db');
    // Asset events only: the principals projection reads none of them.
    const history = await storedHistory(join(directory.path, 'log.db'), [ingestedDraft('asset-a'), ingestedDraft('asset-b')]);
    const folding = new SqlitePrincipalDirectory(path);
    const other = new SqlitePrincipalDirectory(path);
    try {
      await folding.apply(history);
      expect(await folding.positions()).toEqual({ '0': history.at(-1)!.offset });
      await waitFor('the positions written for the other process', async () => (await other.positions())['0'] === history.at(-1)!.offset, 5_000);
    } finally {
      await Promise.all([folding.close(), other.close()]);
    }
  });

  it('writes them at close', async () => {
    const path = join(directory.path, 'closed.db');
    const history = await storedHistory(join(directory.path, 'closed-log.db'), [ingestedDraft('asset-c')]);
    const folding = new SqlitePrincipalDirectory(path);
    await folding.apply(history);
    await folding.close();
    const reopened = new SqlitePrincipalDirectory(path);
    try {
      expect(await reopened.positions()).toEqual({ '0': history.at(-1)!.offset });
    } finally {
      await reopened.close();
    }
  });
});
