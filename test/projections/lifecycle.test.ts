import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscription } from '../../log/eventLog';
import { foldAsset, type AssetRecord } from '../../projections/assetRecord';
import { SqliteAssetRecords } from '../../projections/assets/sqlite';
import { CAMERA_INVENTORY } from '../../projections/cameras/cameraInventory';
import { SqliteCameraInventory } from '../../projections/cameras/sqlite';
import { ProjectionLifecycle } from '../../projections/lifecycle/lifecycle';
import { RebuildableSqliteAssetRecords, RebuildableSqliteCameraInventory } from '../../projections/lifecycle/rebuildableSqliteStores';
import { RebuildableSqliteProjection } from '../../projections/lifecycle/sqliteGenerations';
import { runProjection } from '../../projections/projection';
import { ASSET_RECORDS, PROJECTIONS } from '../../projections/registry';
import { SqliteProjection } from '../../projections/sqliteProjection';
import type { StoredEvent } from '../../schemas/envelope';
import { editDraft, ingestedDraft, resultDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { eventLoopTurns } from '../support/eventLoopTurns';
import { openTestLake } from '../support/lake';
import { waitFor } from '../support/waitFor';
import { readers, rebuilderContract } from './rebuilder.contract';

const contractData = temporaryDirectory();
afterAll(() => contractData.remove());

/** One data directory per store: its files and catalog. */
rebuilderContract('embedded SQLite (asset records)', {
  async open() {
    const directory = mkdtempSync(join(contractData.path, 'data-'));
    const store = new RebuildableSqliteAssetRecords({ directory, definition: ASSET_RECORDS, open: (path) => new SqliteAssetRecords(path) });
    // assets.db is the initial generation, assets.GENERATION.db every later one.
    const generations = async () =>
      readdirSync(directory).flatMap((file) => file.match(/^assets(?:\.(.+))?\.db$/)?.slice(1).map((g) => g ?? 'initial') ?? []).sort();
    return { store, generations };
  },
  read: readers.assetRecords,
});

const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));
type TestLake = Awaited<ReturnType<typeof openTestLake>>;

/** Three events per asset: ingested, described by a camera, titled. */
function assetEvents(n: number) {
  const assetId = `asset-${String(n).padStart(5, '0')}`;
  return [
    ingestedDraft(assetId),
    resultDraft(assetId, 'TechnicalMetadataExtracted', {
      format: 'jpeg',
      make: `Make ${n % 3}`,
      model: `Model ${n % 5}`,
      capturedAt: `${2000 + (n % 4)}-06-01T12:00:00`,
      sha256: '0'.repeat(64),
      size: 1,
      warnings: [],
    }),
    editDraft(assetId, `title ${n}`),
  ];
}

/** The asset records the log folds to, computed here from scratch. */
async function foldedRecords(lake: TestLake): Promise<Map<string, AssetRecord>> {
  const records = new Map<string, AssetRecord>();
  for await (const batch of lake.log.readAll()) {
    for (const event of batch) {
      const record = foldAsset(records.get(event.assetId), event);
      if (record) records.set(event.assetId, record);
    }
  }
  return records;
}

async function allEventIds(lake: TestLake): Promise<string[]> {
  const ids: string[] = [];
  for await (const batch of lake.log.readAll()) ids.push(...batch.map((e) => e.id));
  return ids.sort();
}

async function auditIds(lake: TestLake): Promise<string[]> {
  const { rows } = await lake.audit.sql('SELECT event_id FROM audit_events ORDER BY event_id');
  return rows.map(([id]) => id as string);
}

async function storedRecords(lake: TestLake): Promise<Map<string, AssetRecord>> {
  const { assets } = await lake.records.list({ limit: 10_000, includeDeleted: true });
  return new Map(assets.map((a) => [a.assetId, a]));
}

const RUNNING = ['assets', 'search', 'cameras', 'audit'];

/** The indexes a projection's file has, by name. */
function indexesOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all() as string[];
  } finally {
    db.close();
  }
}

async function caughtUp(lake: TestLake): Promise<void> {
  await waitFor('the projections to catch up', async () =>
    (await lake.projections.status()).every((p) => !RUNNING.includes(p.name) || p.lag === 0),
  );
}

describe('the projection lifecycle (embedded backends)', () => {
  let lake: TestLake;
  let consumers: Subscription[] = [];
  const runProjections = () => {
    consumers = [lake.records, lake.search, lake.cameras, lake.audit].map((p) => runProjection(lake.log, p, lake.logger));
  };

  /** The events a lake appends as it first opens (the default pipelines' deployments), which every rebuild reads too. */
  let atOpen: number;
  beforeEach(async () => {
    lake = await openTestLake();
    atOpen = (await allEventIds(lake)).length;
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await lake.close();
  });

  it('lists every projection with its version and live generation', async () => {
    const list = await lake.projections.list();
    expect(list.map((p) => p.name)).toEqual(['assets', 'search', 'vectors', 'duplicates', 'cameras', 'audit', 'collections', 'principals', 'pipelines']);
    for (const projection of list) {
      const { version } = PROJECTIONS.find((p) => p.name === projection.name)!;
      expect(projection).toMatchObject({ version, backend: 'sqlite', rebuildable: true, stale: false, live: { generation: 'initial', version } });
    }
    expect(list.find((p) => p.name === 'cameras')?.events).toEqual(['AssetIngested', 'TechnicalMetadataExtracted', 'AssetDeleted']);
  });

  // What a rebuild does to the generations is the Rebuilder contract's (above); here, what the lifecycle records of it.
  it('rebuilds a projection and records its progress, total and new live generation', async () => {
    for (let n = 0; n < 20; n++) await lake.log.append(assetEvents(n));
    runProjections();
    await caughtUp(lake);
    const before = await lake.cameras.counts();

    const done = await lake.projections.rebuild('cameras');

    expect(done).toMatchObject({ projection: 'cameras', state: 'done', applied: 60 + atOpen, total: 60 + atOpen });
    expect(await lake.cameras.counts()).toEqual(before);
    const [status] = await lake.projections.status('cameras');
    expect(status).toMatchObject({ lag: 0, lagSeconds: 0, live: { generation: done.generation, version: 1 }, rebuild: { state: 'done', applied: 60 + atOpen } });
  });

  it('loses nothing and applies nothing twice when the live consumer runs through a swap in the same process', async () => {
    runProjections();
    const writing = (async () => {
      for (let n = 0; n < 150; n++) {
        await lake.log.append(assetEvents(n));
        await sleep(2);
      }
    })();
    await sleep(30);
    await lake.projections.rebuild('audit');
    await lake.projections.rebuild('assets');
    await writing;
    await caughtUp(lake);

    expect(await auditIds(lake)).toEqual(await allEventIds(lake));
    expect(await storedRecords(lake)).toEqual(await foldedRecords(lake));
    expect((await lake.projections.list()).filter((p) => p.live?.generation !== 'initial').map((p) => p.name)).toEqual(['assets', 'audit']);
  });

  it('swaps under a consumer of another process: a rebuild from the CLI while this process appends and applies', async () => {
    runProjections();
    let stop = false;
    const writing = (async () => {
      for (let n = 0; !stop; n++) {
        await lake.log.append(assetEvents(n));
        await sleep(5);
      }
    })();
    await sleep(100);
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [CLI, 'projections', 'rebuild', 'audit', 'assets', '--json'], {
      env: { ...process.env, MEDIALAKE_DATA: lake.dataDir, MEDIALAKE_LOG_LEVEL: 'silent', MEDIALAKE_LOG_SYNC: 'normal' },
    });
    stop = true;
    await writing;
    await caughtUp(lake);

    const rebuilt = JSON.parse(stdout) as { projection: string; generation: string; state: string }[];
    expect(rebuilt.map((r) => [r.projection, r.state])).toEqual([['audit', 'done'], ['assets', 'done']]);
    // This process reads and applies to the generations the other one swapped in.
    const live = await lake.projections.list();
    expect(live.find((p) => p.name === 'audit')?.live?.generation).toBe(rebuilt[0]!.generation);
    expect(await auditIds(lake)).toEqual(await allEventIds(lake));
    expect(await storedRecords(lake)).toEqual(await foldedRecords(lake));
  });

  it('rebuilds several projections together from one read of the log, each equal to the live one', async () => {
    for (let n = 0; n < 300; n++) await lake.log.append(assetEvents(n));
    runProjections();
    await caughtUp(lake);
    const before = { records: await storedRecords(lake), cameras: await lake.cameras.counts(), audit: await auditIds(lake) };
    let reads = 0;
    const readAll = lake.log.readAll.bind(lake.log);
    lake.log.readAll = (options) => (reads++, readAll(options));

    const rebuilt = ['assets', 'cameras', 'audit', 'search'];
    const initial = new Map(rebuilt.map((projection) => [projection, indexesOf(join(lake.dataDir, `${projection}.db`))]));
    const whileFilling = new Map<string, string[]>();
    const done = await lake.projections.rebuildAll(rebuilt, {
      batchSize: 100,
      onProgress: ({ projection, generation, state }) => {
        if (state === 'building' && !whileFilling.has(projection)) whileFilling.set(projection, indexesOf(join(lake.dataDir, `${projection}.${generation}.db`)));
      },
    });

    expect(reads).toBe(1);
    // The indexes only queries read are built once the file is filled: none while it fills, all of them once it is live.
    for (const { projection, generation } of done) {
      expect(indexesOf(join(lake.dataDir, `${projection}.${generation}.db`))).toEqual(initial.get(projection));
      expect(initial.get(projection)!.filter((index) => !whileFilling.get(projection)!.includes(index)).length).toBeGreaterThan(0);
    }
    expect(whileFilling.get('audit')).not.toContain('audit_by_time');
    expect(whileFilling.get('search')).not.toContain('search_assets_listing');
    expect(done.map((d) => [d.projection, d.state, d.applied])).toEqual([
      ['assets', 'done', 900 + atOpen],
      ['cameras', 'done', 900 + atOpen],
      ['audit', 'done', 900 + atOpen],
      ['search', 'done', 900 + atOpen],
    ]);
    expect({ records: await storedRecords(lake), cameras: await lake.cameras.counts(), audit: await auditIds(lake) }).toEqual(before);
  });

  it('reports lag in events and in seconds, the age of the oldest event not applied yet', async () => {
    runProjections();
    await caughtUp(lake);
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    const minuteAgo = new Date(Date.now() - 60_000).toISOString();
    await lake.log.append([ingestedDraft('asset-late', { time: minuteAgo }), editDraft('asset-late', 'later')]);
    const [status] = await lake.projections.status('search');
    expect(status!.lag).toBe(2);
    expect(status!.lagSeconds).toBeGreaterThanOrEqual(60);
    expect(status!.lagSeconds).toBeLessThan(120);
  });

  it('lets the process answer while it fills: the event loop turns between its batches', async () => {
    for (let n = 0; n < 200; n++) await lake.log.append(assetEvents(n));
    let state = '';
    const turns = eventLoopTurns(() => state === 'building');
    let turnsWhileFilling: number;
    try {
      await lake.projections.rebuild('search', { batchSize: 50, onProgress: (progress) => void (state = progress.state) });
    } finally {
      turnsWhileFilling = turns.stop();
    }
    expect(turnsWhileFilling).toBeGreaterThanOrEqual(10); // 600 events and more, 50 a batch: a turn after each
  });

  it('refuses a second rebuild of a projection while one runs, and names an unknown projection', async () => {
    for (let n = 0; n < 200; n++) await lake.log.append(assetEvents(n));
    const first = lake.projections.rebuild('search', { batchSize: 50 });
    await expect(lake.projections.start('search')).rejects.toMatchObject({ code: 'REBUILD_RUNNING' });
    await first;
    await expect(lake.projections.status('nope')).rejects.toThrow(/there is no projection nope: the projections are assets, search/);
  });
});

/** A projection whose fold fails on one event: what a bug in a new version looks like. */
class FailingInventory extends SqliteProjection {
  constructor(path: string) {
    super(`projection:${CAMERA_INVENTORY.name}`, path, '');
  }
  protected applyBatch(batch: StoredEvent[]): void {
    for (const event of batch) {
      if (event.type === 'UserMetadataUpdated' && event.payload.title === 'title 7') throw new Error('the new fold cannot read title 7');
    }
  }
}

describe('projection versions', () => {
  let lake: TestLake;
  beforeEach(async () => {
    lake = await openTestLake();
    for (let n = 0; n < 10; n++) await lake.log.append(assetEvents(n));
  });
  afterEach(async () => lake.close());

  it('shows a projection whose version was bumped as stale, and a rebuild brings it to the new version', async () => {
    const definition = { ...CAMERA_INVENTORY, version: 2 };
    const cameras = new RebuildableSqliteCameraInventory({ directory: lake.dataDir, definition, open: (path) => new SqliteCameraInventory(path) });
    const lifecycle = new ProjectionLifecycle(lake.log, [cameras], lake.dataDir);
    try {
      expect((await lifecycle.list())[0]).toMatchObject({ name: 'cameras', version: 2, live: { version: 1 }, stale: true });
      const done = await lifecycle.rebuild('cameras');
      expect((await lifecycle.list())[0]).toMatchObject({ version: 2, live: { generation: done.generation, version: 2 }, stale: false });
      expect(done.generation).toMatch(/^v2-/);
      expect(await cameras.counts({ make: 'make 1' })).toEqual([
        { make: 'Make 1', model: 'Model 1', year: '2001', assets: 1 },
        { make: 'Make 1', model: 'Model 2', year: '2003', assets: 1 },
        { make: 'Make 1', model: 'Model 4', year: '2000', assets: 1 },
      ]);
    } finally {
      await lifecycle.close();
      await cameras.close();
    }
  });

  it('drops what a failed rebuild built and keeps the live generation serving', async () => {
    const failing = new RebuildableSqliteProjection({ directory: lake.dataDir, definition: CAMERA_INVENTORY, open: (path) => new FailingInventory(path) });
    const lifecycle = new ProjectionLifecycle(lake.log, [failing], lake.dataDir);
    try {
      await expect(lifecycle.rebuild('cameras')).rejects.toThrow('the new fold cannot read title 7');
      const [status] = await lifecycle.status('cameras');
      expect(status).toMatchObject({ live: { generation: 'initial' }, rebuild: { state: 'failed', error: 'the new fold cannot read title 7' } });
      expect(readdirSync(lake.dataDir).filter((f) => f.startsWith('cameras.v'))).toEqual([]); // what it built is gone
      expect(await lake.cameras.counts()).toEqual([]); // the live one is untouched (its consumer has not run)
    } finally {
      await lifecycle.close();
      await failing.close();
    }
  });
});
