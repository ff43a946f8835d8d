import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { openLake, type Lake } from '../../app/lake';
import { ingestedDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { addTestUser, bearer } from '../support/principals';
import { waitFor } from '../support/waitFor';
import { medialake } from '../cli/medialakeProcess';

/** What each `serve --role` runs and reports in its own process (docs/scale.md), on the embedded log. */
describe('a lake serving one role', () => {
  const opened: Lake[] = [];
  const directories: { remove(): void }[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((lake) => lake.close()));
    for (const directory of directories.splice(0)) directory.remove();
  });
  async function lakeIn(role: 'api' | 'processors'): Promise<{ lake: Lake; data: string }> {
    const data = temporaryDirectory();
    directories.push(data);
    const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent', 'log.sync': 'normal', 'serve.role': role }, {}));
    opened.push(lake);
    return { lake, data: data.path };
  }

  it.each(['api', 'processors'] as const)(
    'a process of role %s with no projections worker beside it takes a key created, and refuses one revoked, by another process within seconds',
    async (role) => {
      const { lake, data } = await lakeIn(role);
      const apiKey = await addTestUser(lake, 'dana', 'admin');
      const app = await buildServer(lake, { role });
      lake.start(role);
      try {
        await waitFor('the new key taken', async () => (await app.inject({ url: '/status', headers: bearer(apiKey) })).statusCode === 200, 5_000);

        const revoked = await medialake(['keys', 'revoke', apiKey.split('_')[1]!], { MEDIALAKE_DATA: data, MEDIALAKE_LOG_LEVEL: 'silent' });
        expect(revoked.code).toBe(0);

        await waitFor('the revoked key refused', async () => (await app.inject({ url: '/status', headers: bearer(apiKey) })).statusCode === 401, 5_000);
      } finally {
        await app.close();
      }
    },
    60_000,
  );

  it('a processors worker reports only the consumers it runs, and is ready past 1,000 events on the log', async () => {
    const { lake } = await lakeIn('processors');
    // Past /ready's bound: a projection it never folds would lag by all of them, for good.
    await lake.log.append(Array.from({ length: 1_100 }, (_, i) => ingestedDraft(`asset-${i}`)));
    const app = await buildServer(lake, { role: 'processors' });
    lake.start('processors');
    try {
      const groups = (await lake.consumers()).map((consumer) => consumer.group);
      expect(groups).toEqual(expect.arrayContaining(['projection:collections', 'projection:pipelines', 'projection:assets']));
      expect(groups.filter((group) => group.startsWith('projection:')).sort()).toEqual(['projection:assets', 'projection:collections', 'projection:pipelines', 'projection:principals']);
      expect(groups.some((group) => group.startsWith('processor:'))).toBe(true);

      await waitFor('the worker ready', async () => (await app.inject({ url: '/ready' })).statusCode === 200, 30_000);
      const metrics = (await app.inject({ url: '/metrics' })).body;
      expect(metrics).not.toMatch(/consumer="projection:(audit|cameras|duplicates)"/);
    } finally {
      await app.close();
    }
  }, 90_000);
});
