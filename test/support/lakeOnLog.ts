import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ingestDirectory } from '../../producers/directory';
import { SearchQuery } from '../../projections/search/searchIndex';
import { eraseSubjects } from '../../log/sealedLog';
import { ERASED } from '../../schemas/personal';
import { fixture, temporaryDirectory } from './fixtures';
import { ingestContext, openTestLake } from './lake';

/**
 * The whole loop on a given log backend: three real photos ingested,
 * processed and projected, then found by search, with every consumer caught
 * up and nothing dead-lettered; then the ingesting person erased.
 */
export async function runWholeLake(logSettings: Record<string, unknown>): Promise<void> {
  const source = temporaryDirectory();
  for (const name of ['Canon_40D.jpg', 'Nikon_D70.jpg', 'Pentax_K10D.jpg']) copyFileSync(fixture(`jpg/${name}`), join(source.path, name));
  const lake = await openTestLake(logSettings);
  try {
    lake.start();
    await ingestDirectory(ingestContext(lake), source.path);
    await lake.waitForIdle({ timeoutMs: 90_000 });

    const found = await lake.search.search(SearchQuery.parse({ make: 'NIKON CORPORATION' }));
    expect(found.hits.map((hit) => hit.originalName)).toEqual(['Nikon_D70.jpg']);
    const status = await lake.consumers();
    expect(status.length).toBeGreaterThan(0);
    expect(status.every((consumer) => consumer.lag === 0 && consumer.deadLetters === 0)).toBe(true);
    expect(await lake.records.countByStatus()).toMatchObject({ ready: 3 });

    // The ingests' actor is personal data, sealed under a key in this backend's key store: erasing it shows on the next read.
    const nikon = found.hits[0]!.assetId;
    expect((await lake.log.readAsset(nikon))[0]!.actor).toBe('tester');
    expect(await eraseSubjects(lake.log, lake.subjectKeys, ['Tester'])).toEqual([true]);
    expect((await lake.log.readAsset(nikon)).map((event) => event.actor)).toEqual(expect.arrayContaining([ERASED, 'medialake']));
    expect((await lake.log.readAsset(nikon)).map((event) => event.actor)).not.toContain('tester');
  } finally {
    await lake.close();
    source.remove();
  }
}
