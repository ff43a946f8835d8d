import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { loadConfig } from '../../app/config';
import { openLake, type Lake } from '../../app/lake';
import type { Subscription } from '../../log/eventLog';
import { ingestFile } from '../../producers/ingest';
import type { AuditEntry, AuditPage } from '../../projections/audit/auditTrail';
import { runProjection } from '../../projections/projection';
import { draft } from '../../schemas/envelope';
import { temporaryDirectory } from '../support/fixtures';
import { ingestContext } from '../support/lake';
import { mixedWorkload, type Workload } from '../support/mixedWorkload';
import { waitFor } from '../support/waitFor';

/** The ```sql blocks of docs/audit.md's "The audit trail" section, in order. */
function documentedQueries(): string[] {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/audit.md', import.meta.url)), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('The audit trail'))!;
  return [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

/** The 15th of last month, noon UTC: a deletion an audit of last month must find. */
function lastMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 12)).toISOString();
}

describe('the audit trail on a real workload', () => {
  const directory = temporaryDirectory();
  const config = loadConfig({ data: directory.path, logLevel: 'silent', 'log.sync': 'normal' }, {});
  let lake: Lake;
  let workload: Workload;
  let auditing: Subscription;
  let app: Awaited<ReturnType<typeof buildServer>>;
  /** Signed in as the lake's admin. */
  let fetch: typeof globalThis.fetch;
  let base: string;
  let unprocessed: string;
  const all = () => lake.audit.query({ limit: 1000 });

  beforeAll(async () => {
    lake = await openLake(config);
    workload = await mixedWorkload(lake);
    // A deletion imported from last month's records.
    await lake.log.append([
      draft('AssetDeleted', {
        id: randomUUID(),
        assetId: workload.ids['Kodak_CX7530.jpg']!,
        actor: 'erin',
        source: 'api',
        correlationId: 'import',
        causationId: null,
        payload: { reason: 'expired licence' },
        time: lastMonth(),
      }),
    ]);
    await lake.close();
    // The processors are down now: what is ingested stays unprocessed; only the audit projection runs.
    lake = await openLake(config);
    const late = join(directory.path, 'late.txt');
    writeFileSync(late, 'ingested while the processors were down\n');
    unprocessed = (await ingestFile(ingestContext(lake, 'alice'), late, { kind: 'upload' }, 'late.txt')).assetId;
    auditing = runProjection(lake.log, lake.audit, lake.logger);
    await waitFor('the audit trail to catch up', async () => (await lake.projections.status('audit'))[0]!.lag === 0);
    ({ app, fetch } = await adminApi(lake));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await auditing.stop();
    await lake.close();
    workload.remove();
    directory.remove();
  });

  it('holds every event on the log, once, with who, what, when and from where', async () => {
    const { entries } = await all();
    expect(entries).toHaveLength(await lake.log.lag({}));
    const deletion = entries.find((e) => e.type === 'AssetDeleted' && e.assetId === workload.ids['Pentax_K10D.jpg']);
    expect(deletion).toMatchObject({ actor: 'carol', source: 'api', correlationId: 'carol-session', payload: { reason: 'a duplicate of the Sony shot' } });
    expect(entries.find((e) => e.type === 'TechnicalMetadataExtracted')).toMatchObject({ actor: 'medialake', source: 'processor:metadata@5' });
  });

  it('filters by asset, actor, type, source and time range', async () => {
    const canon = workload.ids['Canon_40D.jpg']!;
    const history = await lake.audit.query({ asset: canon, limit: 1000 });
    // In the order the projection applied them; the asset's versions are all there.
    expect(history.entries.map((e) => e.assetVersion).sort((a, b) => a - b)).toEqual(history.entries.map((_, i) => i + 1));
    expect(history.entries.map((e) => e.type)).toContain('ReprocessRequested');
    expect((await lake.audit.query({ actor: 'carol' })).entries.map((e) => e.type)).toEqual(['AssetDeleted', 'AssetDeleted']);
    const edits = await lake.audit.query({ type: 'UserMetadataUpdated,AssetDeleted' });
    expect(new Set(edits.entries.map((e) => e.actor))).toEqual(new Set(['bob', 'carol', 'erin']));
    const processors = await lake.audit.query({ source: 'processor:*', limit: 1000 });
    expect(processors.entries.length).toBeGreaterThan(10);
    expect(processors.entries.every((e) => e.source.startsWith('processor:'))).toBe(true);
    expect((await lake.audit.query({ source: 'processor:metadata@5', type: 'AssetProcessingFailed' })).entries.length).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    const sinceToday = await lake.audit.query({ from: today, limit: 1000 });
    expect(sinceToday.entries.map((e) => e.actor)).not.toContain('erin');
    expect((await lake.audit.query({ to: lastMonth().slice(0, 10) })).entries.map((e) => e.actor)).toEqual(['erin']);
  });

  it('takes a time between two milliseconds as it is: on or after `from`, before `to`', async () => {
    const { time, eventId } = (await lake.audit.query({ limit: 1 })).entries[0]!;
    const within = (from: string, to: string) => lake.audit.query({ from, to, limit: 1000 }).then((page) => page.entries.some((e) => e.eventId === eventId));
    const [second, millisecond] = [time.slice(0, 19), time.slice(20, 23)];
    expect(await within(`${second}.${millisecond}0001Z`, `${second}.999Z`)).toBe(false); // from just after it
    expect(await within(`${second}.${millisecond}0000Z`, `${second}.999Z`)).toBe(true); // from it exactly
    expect(await within(`${second}Z`, `${second}.${millisecond}0001Z`)).toBe(true); // to just after it
    expect(await within(`${second}Z`, `${second}.${millisecond}Z`)).toBe(false); // to it exactly: before it
  });

  it('pages with a cursor, in the order applied or its reverse, and the pages add up to the whole', async () => {
    for (const order of ['asc', 'desc'] as const) {
      const whole = (await lake.audit.query({ order, limit: 1000 })).entries;
      const paged: AuditEntry[] = [];
      let page: AuditPage = await lake.audit.query({ order, limit: 7 });
      for (;;) {
        paged.push(...page.entries);
        if (!page.next) break;
        page = await lake.audit.query({ order, limit: 7, after: page.next });
      }
      expect(paged).toEqual(whole);
      // The embedded log has one partition, applied in offset order, whatever time each producer stamped.
      const offsets = whole.map((e) => Number(e.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => (order === 'asc' ? a - b : b - a)));
    }
  });

  it('answers the documented examples: who deleted what last month, every change to one asset, assets ingested but never processed', async () => {
    const [deletedLastMonth, changes, neverProcessed] = documentedQueries();
    expect((await lake.audit.sql(deletedLastMonth!)).rows).toEqual([[lastMonth(), 'erin', workload.ids['Kodak_CX7530.jpg'], 'expired licence']]);
    const nikon = workload.ids['Nikon_D70.jpg']!;
    const history = await lake.audit.sql(changes!, { asset: nikon });
    expect(history.columns).toEqual(['asset_version', 'time', 'type', 'actor', 'source', 'payload']);
    expect(history.rows.map((row) => row[2])).toEqual((await lake.log.readAsset(nikon)).map((e) => e.type));
    expect(history.rows.find((row) => row[2] === 'UserMetadataUpdated')?.[3]).toBe('bob');
    expect((await lake.audit.sql(neverProcessed!)).rows).toEqual([[unprocessed, expect.any(String), 'late.txt']]);
    await expect(lake.audit.sql('DELETE FROM audit_events')).rejects.toThrow(/read-only/);
    // A statement that gives more rows than an answer should hold is refused, not held whole in memory.
    const endless = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n';
    await expect(lake.audit.sql(endless)).rejects.toMatchObject({ code: 'TOO_MANY_ROWS', message: expect.stringMatching(/more than 100,000 rows: add a LIMIT/) });
    expect((await lake.audit.sql(`${endless} LIMIT 100000`)).rows).toHaveLength(100_000);
  });

  it('serves the trail over HTTP as JSON or CSV, with the cursor in a header', async () => {
    const json = (await (await fetch(`${base}/audit?actor=bob&limit=1`)).json()) as AuditPage;
    expect(json.entries).toHaveLength(1);
    expect(json.next).toBeTruthy();
    const csv = await fetch(`${base}/audit?actor=bob&type=UserMetadataUpdated&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    const [header, ...lines] = text.split('\r\n');
    expect(header).toBe('time,asset_id,asset_version,type,actor,source,event_id,correlation_id,causation_id,log_partition,log_offset,payload');
    expect(lines.filter(Boolean)).toHaveLength(2);
    expect(text).toContain('"{""title"":""Harbour, at \\""dusk\\"""",""tags"":[""sea"",""boats""]}"');
    const paged = await fetch(`${base}/audit?limit=2`, { headers: { accept: 'text/csv' } });
    expect(paged.headers.get('x-next-cursor')).toBeTruthy();
    const bad = await fetch(`${base}/audit?after=nonsense`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_CURSOR');
    const verify = (await (await fetch(`${base}/audit/verify`)).json()) as { intact: boolean };
    expect(verify.intact).toBe(true);
  });

  it('serves projections and the camera inventory over HTTP', async () => {
    const { projections } = (await (await fetch(`${base}/projections`)).json()) as { projections: { name: string; version: number }[] };
    expect(projections.map((p) => p.name)).toContain('cameras');
    const cameras = (await (await fetch(`${base}/cameras?make=canon`)).json()) as { cameras: unknown[] };
    expect(cameras.cameras).toEqual([{ make: 'Canon', model: 'Canon EOS 40D', year: '2008', assets: 1 }]);
    const started = await fetch(`${base}/projections/cameras/rebuild`, { method: 'POST' });
    expect(started.status).toBe(202);
    await waitFor('the rebuild to finish', async () => {
      const status = (await (await fetch(`${base}/projections/cameras`)).json()) as { rebuild?: { state: string } };
      return status.rebuild?.state === 'done';
    });
    expect(((await (await fetch(`${base}/cameras?make=canon`)).json()) as { cameras: unknown[] }).cameras).toEqual(cameras.cameras);
    expect((await fetch(`${base}/projections/nope`)).status).toBe(404);
  });
});
