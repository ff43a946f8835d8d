import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config';
import { openLake, type Lake } from '../../app/lake';
import type { EventLog } from '../../log/eventLog';
import { ingestFile } from '../../producers/ingest';
import { deleteAsset } from '../../producers/commands';
import { requestReprocessing, type ReprocessFilter } from '../../producers/reprocess';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext } from '../support/lake';

/** A log with some methods replaced, the rest the log's own. */
const logWith = (log: EventLog, replaced: Partial<EventLog>): EventLog => Object.assign(Object.create(log) as EventLog, replaced);

/** The log, except that an asset's history cannot be read: reprocessing learns what it needs from the head and one read. */
const withoutHistory = (log: EventLog) =>
  logWith(log, { readAsset: (assetId) => Promise.reject(new Error(`reprocessing read the history of ${assetId}`)) });

/** The log with heads that name no ingest place, as a partitioned log's heads kept before they did. */
const withHeadsNamingNoIngest = (log: EventLog) =>
  logWith(log, {
    assetHead: async (assetId) => {
      const { ingest: _unknown, ...head } = await log.assetHead(assetId);
      return head;
    },
  });

describe('reprocessing existing assets', () => {
  const directory = temporaryDirectory();
  const open = (overrides: Record<string, unknown> = {}) =>
    openLake(loadConfig({ data: directory.path, logLevel: 'silent', 'log.sync': 'normal', ...overrides }, {}));
  let lake: Lake;
  const ingest = async (name: string) =>
    (await ingestFile(ingestContext(lake, 'alice'), fixture(name), { kind: 'upload' }, name.split('/').at(-1)!)).assetId;
  const reprocess = (filter: ReprocessFilter, log = withoutHistory(lake.log)) =>
    requestReprocessing({ log, actor: 'dave', source: 'cli', records: lake.records, processors: lake.processors }, filter);
  const requestsOf = async (assetId: string) => (await lake.log.readAsset(assetId)).filter((e) => e.type === 'ReprocessRequested');

  beforeEach(async () => {
    lake = await open();
    lake.start();
  });
  afterEach(async () => {
    await lake.close();
    directory.remove();
  });

  it('re-runs a processor on chosen assets: its new results are new events, caused by the request; the old ones stay', async () => {
    const canon = await ingest('jpg/Canon_40D.jpg');
    const nikon = await ingest('jpg/Nikon_D70.jpg');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const before = await lake.log.readAsset(canon);

    const result = await reprocess({ assetIds: [canon], processors: ['metadata'], reason: 'new EXIF reader' });
    await lake.waitForIdle({ timeoutMs: 30_000 });

    expect(result).toEqual({ requested: [{ assetId: canon, eventId: expect.any(String), processors: ['metadata'] }], skipped: [] });
    const after = await lake.log.readAsset(canon);
    expect(after.slice(0, before.length)).toEqual(before); // history stays
    const [request, result2] = after.slice(before.length);
    expect(request).toMatchObject({ type: 'ReprocessRequested', actor: 'dave', source: 'cli', payload: { processors: ['metadata'], reason: 'new EXIF reader' } });
    expect(result2).toMatchObject({ type: 'TechnicalMetadataExtracted', causationId: request!.id, source: 'processor:metadata@5' });
    const metadata = after.filter((e) => e.type === 'TechnicalMetadataExtracted');
    expect(metadata).toHaveLength(2);
    expect(metadata[1]!.id).not.toBe(metadata[0]!.id);
    expect(metadata[1]!.payload).toEqual(metadata[0]!.payload);
    expect((await lake.log.readAsset(nikon)).some((e) => e.type === 'ReprocessRequested')).toBe(false);
  });

  it("takes the asset's dead letters of the processors asked for off the list, and no others", async () => {
    const canon = await ingest('jpg/Canon_40D.jpg');
    const nikon = await ingest('jpg/Nikon_D70.jpg');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const letter = (group: string, assetId: string) => ({ group, eventId: randomUUID(), assetId, attempts: 3, error: 'EEXIST', time: new Date().toISOString() });
    const [canonMetadata, canonRenditions, nikonMetadata] = [letter('processor:metadata', canon), letter('processor:renditions', canon), letter('processor:metadata', nikon)];
    for (const entry of [canonMetadata, canonRenditions, nikonMetadata]) await lake.log.deadLetter(entry);

    await reprocess({ assetIds: [canon], processors: ['metadata'] });
    await lake.waitForIdle({ timeoutMs: 30_000 });

    expect((await lake.log.deadLetters()).map((entry) => entry.eventId).sort()).toEqual([canonRenditions.eventId, nikonMetadata.eventId].sort());
  });

  it('filters by media type and processor, and skips deleted assets', async () => {
    const canon = await ingest('jpg/Canon_40D.jpg');
    const nikon = await ingest('jpg/Nikon_D70.jpg');
    const text = await ingest('jpg/README');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    await deleteAsset({ log: lake.log, actor: 'carol', source: 'api' }, nikon);
    await lake.waitForIdle({ timeoutMs: 30_000 });

    const images = await reprocess({ mediaType: 'image', processors: ['renditions'] });
    expect(images.requested.map((r) => [r.assetId, r.processors])).toEqual([[canon, ['renditions']]]);
    const named = await reprocess({ assetIds: [nikon, text], processors: ['renditions', 'metadata'] });
    expect(named.skipped).toEqual([{ assetId: nikon, reason: 'deleted' }]);
    expect(named.requested).toEqual([{ assetId: text, eventId: expect.any(String), processors: ['metadata'] }]);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const renditions = (await lake.log.readAsset(canon)).filter((e) => e.type === 'RenditionCreated');
    expect(renditions.map((e) => e.payload.name)).toEqual(['thumbnail', 'proxy', 'thumbnail', 'proxy']);
    await expect(reprocess({ processors: ['ocr'] })).rejects.toThrow(/there is no processor ocr: the processors are metadata, renditions, documents, /);
  });

  it('carries the live ingest after a delete and a re-ingest: the one its head names, read at its place', async () => {
    const canon = await ingest('jpg/Canon_40D.jpg');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    await deleteAsset({ log: lake.log, actor: 'carol', source: 'api' }, canon);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const again = await ingestFile(ingestContext(lake, 'alice'), fixture('jpg/Canon_40D.jpg'), { kind: 'upload' }, 'Canon_40D.jpg');
    if (again.status !== 'ingested') throw new Error(`the re-ingest was a ${again.status}`);
    await lake.waitForIdle({ timeoutMs: 30_000 });

    const result = await reprocess({ assetIds: [canon], processors: ['metadata'] });

    expect(result.requested).toEqual([{ assetId: canon, eventId: expect.any(String), processors: ['metadata'] }]);
    const [request] = await requestsOf(canon);
    expect(request!.payload).toMatchObject({ ingestEventId: again.event.id, ingested: again.event.payload });
  });

  it("reads the asset's history for its live ingest where the head names none (kept before heads did)", async () => {
    const canon = await ingest('jpg/Canon_40D.jpg');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const [ingested] = await lake.log.readAsset(canon);

    const result = await reprocess({ assetIds: [canon], processors: ['metadata'] }, withHeadsNamingNoIngest(lake.log));

    expect(result.requested.map((r) => r.assetId)).toEqual([canon]);
    expect((await requestsOf(canon))[0]!.payload).toMatchObject({ ingestEventId: ingested!.id });
  });

  it('clears the failures of the processors it re-runs: an asset that failed on a limit is ready once the limit is raised', async () => {
    await lake.close();
    lake = await open({ 'processors.maxInputBytes': 1000 });
    lake.start();
    const canon = await ingest('jpg/Canon_40D.jpg');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect(await lake.records.get(canon)).toMatchObject({ status: 'failed', failures: [{ code: 'TOO_LARGE' }, { code: 'TOO_LARGE' }, { code: 'TOO_LARGE' }] });

    await lake.close();
    lake = await open();
    lake.start();
    await reprocess({ assetIds: [canon] });
    await lake.waitForIdle({ timeoutMs: 30_000 });

    const record = await lake.records.get(canon);
    expect(record).toMatchObject({ status: 'ready', failures: [], metadata: { make: 'Canon' } });
    expect(Object.keys(record!.renditions).sort()).toEqual(['proxy', 'thumbnail']);
  });
});
