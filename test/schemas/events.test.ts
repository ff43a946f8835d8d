import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import { InvalidEventError, validateEvent } from '../../schemas/envelope';
import { UserMetadataEdit } from '../../schemas/events';
import { eventJsonSchema } from '../../schemas/jsonSchema';
import { SqliteEventLog } from '../../log/sqlite';
import { foldAsset } from '../../projections/assetRecord';
import { ingestedDraft, v1IngestPayload } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { openTestLake } from '../support/lake';
import { adminApi } from '../support/principals';
import { fixture } from '../support/fixtures';
import { medialake } from '../cli/medialakeProcess';

const stored = <T extends object>(draft: T) => ({ ...draft, assetVersion: 1 });

/** What the v1 code path wrote: the payload had sourcePath, and no origin (after what the log holds: a lake's default pipelines). */
function writeV1Ingest(log: SqliteEventLog): void {
  log.database
    .prepare(
      `INSERT INTO events (offset, id, asset_id, asset_version, type, schema_version, time, actor, source, correlation_id, causation_id, payload)
       VALUES ((SELECT coalesce(max(offset) + 1, 0) FROM events), ?, 'asset-old', 1, 'AssetIngested', 1, '2024-01-01T00:00:00.000Z', 'legacy', 'cli', 'c', NULL, ?)`,
    )
    .run(randomUUID(), JSON.stringify(v1IngestPayload('asset-old', '/archive/2019/photo.jpg')));
}

describe('event schemas', () => {
  const directory = temporaryDirectory();
  afterAll(() => directory.remove());

  it('says which field of an invalid event is wrong', () => {
    const event = stored(ingestedDraft('asset-a', { actor: '' } as never));
    expect(() => validateEvent(event)).toThrow(InvalidEventError);
    expect(() => validateEvent(event)).toThrow(/actor/);
    expect(() => validateEvent({ ...event, assetId: '../x' })).toThrow(/assetId: asset ids are/);
    expect(() => validateEvent({ ...event, type: 'Nonsense' })).toThrow(/type/);
  });

  it('keeps one of tags that differ only in how their letters are encoded (a Mac writes them decomposed)', () => {
    const edit = UserMetadataEdit.parse({ tags: ['Köln', 'Ko\u0308ln', 'köln', 'Köln '] });
    expect(edit.tags).toEqual(['Köln', 'köln']);
    expect(edit.tags!.map((tag) => tag.length)).toEqual([4, 4]);
  });

  it('refuses to write an event at an old schema version', () => {
    expect(() => validateEvent({ ...stored(ingestedDraft('asset-a')), schemaVersion: 1 })).toThrow(/written at schemaVersion 2/);
  });

  it('reads an AssetIngested stored at v1 by older code as v2 through the log and the fold', async () => {
    const log = new SqliteEventLog({ path: join(directory.path, 'old.db') });
    writeV1Ingest(log);

    const [event] = await log.readAsset('asset-old');
    expect(event).toMatchObject({ schemaVersion: 2, payload: { origin: { kind: 'directory', path: '/archive/2019/photo.jpg' } } });
    expect(event!.payload).not.toHaveProperty('sourcePath');
    expect(foldAsset(undefined, event!)?.origin).toEqual({ kind: 'directory', path: '/archive/2019/photo.jpg' });
    // A new event on the same asset follows it, in version order.
    await log.append([{ ...ingestedDraft('asset-old'), type: 'AssetDeleted', payload: {}, schemaVersion: 1 } as never]);
    expect((await log.readAsset('asset-old')).map((e) => e.assetVersion)).toEqual([1, 2]);
    await log.close();
  });

  it('shows that v1 event as v2 in the API and the audit trail', async () => {
    const lake = await openTestLake();
    const old = new SqliteEventLog({ path: join(lake.dataDir, 'log.db') });
    writeV1Ingest(old);
    await old.close();
    const { app } = await adminApi(lake);
    try {
      lake.start();
      await lake.waitForIdle({ timeoutMs: 60_000 });
      const origin = { kind: 'directory', path: '/archive/2019/photo.jpg' };
      const { events } = (await app.inject({ url: '/assets/asset-old/events' })).json();
      expect(events[0]).toMatchObject({ type: 'AssetIngested', schemaVersion: 2, payload: { origin } });
      expect(events[0].payload).not.toHaveProperty('sourcePath');
      expect((await app.inject({ url: '/assets/asset-old' })).json()).toMatchObject({ assetId: 'asset-old', origin });
      const { entries } = (await app.inject({ url: '/audit?asset=asset-old&type=AssetIngested' })).json();
      expect(entries).toEqual([expect.objectContaining({ actor: 'legacy', payload: expect.objectContaining({ origin }) })]);
      expect(entries[0].payload).not.toHaveProperty('sourcePath');
    } finally {
      await app.close();
      await lake.close();
    }
  });

  it('exports JSON Schema that accepts a valid event and rejects an invalid one', () => {
    // Formats (uuid, date-time) are zod's to check; ajv without ajv-formats would warn on each.
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const validate = ajv.compile(eventJsonSchema());
    const event = stored(ingestedDraft('asset-a'));
    expect(validate(event)).toBe(true);
    expect(validate({ ...event, assetVersion: 0 })).toBe(false);
    expect(validate({ ...event, payload: { ...(event.payload as object), sha256: 'not-hex' } })).toBe(false);
  });
});

describe('the JSON Schema `medialake schema` prints', () => {
  const data = temporaryDirectory();
  afterAll(() => data.remove());

  it('accepts every event `medialake events --json` gives, with its partition and offset', async () => {
    const quiet = { MEDIALAKE_LOG_LEVEL: 'silent' };
    const ingest = await medialake(['--data', data.path, 'ingest', fixture('jpg/Canon_40D.jpg'), '--wait', '--json'], quiet);
    expect(ingest.code).toBe(0);
    const { hits } = JSON.parse((await medialake(['--data', data.path, 'search', '--json'], quiet)).stdout) as { hits: { assetId: string }[] };
    const events = JSON.parse((await medialake(['--data', data.path, 'events', hits[0]!.assetId, '--json'], quiet)).stdout) as object[];
    expect(events.length).toBeGreaterThan(2);
    expect(events[0]).toHaveProperty('partition');
    expect(events[0]).toHaveProperty('offset');
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse((await medialake(['schema'], quiet)).stdout));
    for (const event of events) expect({ event, valid: validate(event), errors: validate.errors }).toMatchObject({ valid: true });
  }, 60_000);
});
