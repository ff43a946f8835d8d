import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../producers/ingest';
import { SearchQuery } from '../../projections/search/searchIndex';
import { engineAvailable } from '../engines/availability';
import { engineControllable } from '../engines/external';
import { openSearchPresent, startOpenSearch, type OpenSearchEngine } from '../engines/opensearch';
import { temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';

const present = engineAvailable('OpenSearch', openSearchPresent(), 'run .ci/engines/opensearch.sh');
const OUTAGE_MS = 20_000;
const STEADY_MS = 4_000;
/** One small asset this often, before, during and after the outage. */
const INGEST_EVERY_MS = 100;
const SAMPLE_EVERY_MS = 500;
/** What the lake's process may grow by while the engine is away: batches are read as they are applied, never queued. */
const RSS_GROWTH_LIMIT = 128 * 1024 * 1024;

type Lake = Awaited<ReturnType<typeof openTestLake>>;

/**
 * Backpressure (docs/scale.md): OpenSearch frozen for 20 s (SIGSTOP: it
 * takes connections and answers nothing, as a hung node does) while assets
 * keep arriving. Appends go on, the search projection's lag grows and is
 * reported, and once the node answers again it drains to 0 with every asset
 * searchable once; the process does not buffer what it cannot apply.
 */
describe.skipIf(!present || !engineControllable('OpenSearch', 'the OpenSearch outage test'))('OpenSearch frozen for 20 s under steady ingest', () => {
  const source = temporaryDirectory('medialake-outage-');
  let engine: OpenSearchEngine;
  let lake: Lake;
  let ingested = 0;

  /** Ingests one small text asset, named so search finds it by name. */
  const ingestOne = async () => {
    const name = `outage-note-${String(ingested).padStart(4, '0')}.txt`;
    const path = join(source.path, name);
    writeFileSync(path, `note ${ingested} written while the search engine may be away\n`);
    await ingestFile(ingestContext(lake), path, { kind: 'directory', path }, name);
    ingested += 1;
  };
  const searchLag = async () => (await lake.consumers()).find((consumer) => consumer.group === 'projection:search')!.lag;

  /** Ingests for `ms` while another loop reads the search lag (a read may wait for the frozen engine); the highest lag and RSS seen. */
  async function steadyIngest(ms: number): Promise<{ lag: number; rss: number }> {
    const until = Date.now() + ms;
    const ingest = async () => {
      while (Date.now() < until) await Promise.all([ingestOne(), sleep(INGEST_EVERY_MS)]);
    };
    const sample = async () => {
      let [lag, rss] = [0, 0];
      while (Date.now() < until) {
        [lag, rss] = [Math.max(lag, await searchLag()), Math.max(rss, process.memoryUsage().rss)];
        await sleep(SAMPLE_EVERY_MS);
      }
      return { lag, rss };
    };
    return (await Promise.all([sample(), ingest()]))[0];
  }

  beforeAll(async () => {
    engine = await startOpenSearch();
    lake = await openTestLake({ 'search.backend': 'opensearch', 'search.opensearch.node': engine.node, 'search.opensearch.index': `outage-${randomUUID().slice(0, 8)}` });
    lake.start();
  }, 180_000);
  afterAll(async () => {
    await engine?.resume();
    await lake?.close();
    await engine?.stop();
    source.remove();
  });

  it('keeps appending, reports the growing lag, drains to 0 when it returns, and loses nothing', async () => {
    await steadyIngest(STEADY_MS);
    await lake.waitForIdle({ timeoutMs: 60_000 });
    const before = { ingested, rss: process.memoryUsage().rss };

    await engine.pause();
    const away = await steadyIngest(OUTAGE_MS);
    const ingestedWhileAway = ingested - before.ingested;
    const lagAtReturn = await searchLag();
    await engine.resume();
    await steadyIngest(STEADY_MS);
    await lake.waitForIdle({ timeoutMs: 120_000 });

    console.info(
      `ingested ${ingested} (${ingestedWhileAway} while the engine was away); search lag at the engine's return ${lagAtReturn}; RSS ${(before.rss / 2 ** 20).toFixed(0)} MiB before, ${(away.rss / 2 ** 20).toFixed(0)} MiB at most while away`,
    );
    expect(ingestedWhileAway).toBeGreaterThan((OUTAGE_MS / INGEST_EVERY_MS) * 0.5); // appends went on
    expect(away.lag).toBeGreaterThan(0); // reported while away
    expect(lagAtReturn).toBeGreaterThanOrEqual(ingestedWhileAway); // at least an event of each asset not applied
    expect(await searchLag()).toBe(0);
    const found = await lake.search.search(SearchQuery.parse({ q: 'outage', limit: 200 }));
    const names = new Set(found.hits.map((hit) => hit.originalName));
    expect(found.total).toBe(ingested);
    expect(names.size).toBe(Math.min(ingested, 200));
    expect(away.rss - before.rss).toBeLessThan(RSS_GROWTH_LIMIT);
  }, 240_000);
});
