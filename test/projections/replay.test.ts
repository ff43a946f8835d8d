import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lake } from '../../app/lake';
import { openTestLake } from '../support/lake';
import { mixedWorkload, type Workload } from '../support/mixedWorkload';

/** What a user sees of every projection. */
async function snapshot(lake: Lake) {
  const search = (query: Parameters<Lake['search']['search']>[0]) => lake.search.search(query);
  return {
    records: (await lake.records.list({ limit: 1000, includeDeleted: true })).assets,
    search: await Promise.all([
      search({ limit: 100, offset: 0 }),
      search({ q: 'canon', limit: 100, offset: 0 }),
      search({ q: 'harbour boats', limit: 100, offset: 0 }),
      search({ make: 'nikon', from: '2000-01-01', to: '2030-12-31', limit: 100, offset: 0 }),
      search({ type: 'other', limit: 100, offset: 0 }),
    ]),
    cameras: await lake.cameras.counts(),
    audit: await lake.audit.query({ limit: 1000 }),
    duplicates: await lake.duplicates.list({ limit: 100 }),
    vectors: await lake.vectors.models(),
  };
}

describe('replay: every projection rebuilt from the log equals the live one', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let workload: Workload;

  beforeAll(async () => {
    lake = await openTestLake();
    workload = await mixedWorkload(lake);
  });
  afterAll(async () => {
    await lake.close();
    workload.remove();
  });

  it('after ingests, failures, edits, deletes, a re-ingest and reprocessing', async () => {
    const live = await snapshot(lake);
    // The workload is all there: a delete, a failure, an edit, reprocessed metadata, the camera counts.
    const record = (name: string) => live.records.find((r) => r.assetId === workload.ids[name]);
    expect(record('Sony_HDR-HC3.jpg')?.status).toBe('deleted');
    expect(record('Pentax_K10D.jpg')?.status).toBe('ready');
    expect(record('empty.jpg')?.status).toBe('failed');
    expect(record('Canon_40D.jpg')?.user.title).toBe('Harbour, at "dusk"');
    expect(live.search[2]!.hits.map((h) => h.assetId)).toEqual([workload.ids['Canon_40D.jpg']]);
    expect(live.cameras).toContainEqual({ make: 'Canon', model: 'Canon EOS 40D', year: '2008', assets: 1 });
    expect(live.cameras.map((c) => c.model)).not.toContain('HDR-HC3');
    expect(live.audit.entries.filter((e) => e.type === 'ReprocessRequested')).toHaveLength(2);

    for (const { name } of await lake.projections.list()) await lake.projections.rebuild(name);

    expect((await lake.projections.list()).every((p) => p.live?.generation !== 'initial')).toBe(true);
    expect(await snapshot(lake)).toEqual(live);
  });

  it('builds the camera inventory over history without reading a media object or running a processor', async () => {
    const touched: string[] = [];
    const tripwire = (what: string) => () => {
      touched.push(what);
      throw new Error(`the rebuild touched ${what}`);
    };
    for (const method of ['put', 'get', 'getBuffer', 'head', 'delete', 'list'] as const) {
      (lake.store as unknown as Record<string, unknown>)[method] = tripwire(`store.${method}`);
    }
    for (const processor of lake.processors) (processor as { process: unknown }).process = tripwire(`processor ${processor.name}`);
    const events = await lake.log.lag({});
    const deadLetters = (await lake.log.deadLetters()).length;
    const before = await lake.cameras.counts();

    const done = await lake.projections.rebuild('cameras');
    await lake.waitForIdle({ timeoutMs: 30_000 }); // the running processors had their chance to react

    expect(done).toMatchObject({ state: 'done', applied: events });
    expect(await lake.cameras.counts()).toEqual(before);
    expect(touched).toEqual([]);
    expect(await lake.log.lag({})).toBe(events);
    expect((await lake.log.deadLetters()).length).toBe(deadLetters);
  });
});
