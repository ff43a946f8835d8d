import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draft, InvalidEventError, type EventDraft, type StoredEvent } from '../../schemas/envelope';
import { ERASED, SEALED, subjectOf } from '../../schemas/personal';
import { SqliteEventLog } from '../../log/sqlite';
import { SqliteSubjectKeys } from '../../log/sqliteSubjectKeys';
import { isTamperEvident } from '../../log/hashChain';
import { eraseSubjects, sealPersonalData, SealedValueError, type SealedEventLog } from '../../log/sealedLog';
import { editDraft, ingestedDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { waitFor } from '../support/waitFor';

const people = (assetId: string, actor: string, creator: string, shown: string[]): EventDraft =>
  draft('UserMetadataUpdated', {
    id: randomUUID(),
    assetId,
    actor,
    source: 'api',
    correlationId: randomUUID(),
    causationId: null,
    payload: { title: 'At the harbour', creator, people: shown },
  });

describe('personal data sealed on the log (crypto-shredding)', () => {
  let directory: ReturnType<typeof temporaryDirectory>;
  let raw: SqliteEventLog;
  let keys: SqliteSubjectKeys;
  let log: SealedEventLog;

  beforeEach(() => {
    directory = temporaryDirectory();
    raw = new SqliteEventLog({ path: join(directory.path, 'log.db'), sync: 'normal' });
    keys = new SqliteSubjectKeys(join(directory.path, 'keys.db'));
    log = sealPersonalData(raw, keys);
  });
  afterEach(async () => {
    await log.close();
    directory.remove();
  });

  const stored = async () => (await raw.readAsset('asset-1')).map((e) => ({ actor: e.actor, payload: e.payload as Record<string, unknown> }));

  it('keeps actors, creators and people sealed in the log and reads them back as written', async () => {
    const written = await log.append([ingestedDraft('asset-1', { actor: 'Jane Doe' }), people('asset-1', 'bob', 'Jane Doe', ['John Roe', 'jane doe'])]);
    expect(written.map((e) => e.actor)).toEqual(['Jane Doe', 'bob']);

    const [ingest, edit] = await stored();
    expect(ingest!.actor).toMatch(SEALED);
    expect(edit!.actor).toMatch(SEALED);
    expect(edit!.payload.creator).toMatch(SEALED);
    expect(edit!.payload.people).toEqual([expect.stringMatching(SEALED), expect.stringMatching(SEALED)]);
    expect(edit!.payload.title).toBe('At the harbour'); // not personal
    // Outside the sealed values (random text, which may spell anything) no name is left.
    const unsealed = JSON.stringify(raw.database.prepare('SELECT * FROM events').all()).replace(/sealed:v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+/g, '');
    expect(unsealed).not.toMatch(/jane|john|bob/i);

    const read = await log.readAsset('asset-1');
    expect(read.map((e) => e.actor)).toEqual(['Jane Doe', 'bob']);
    expect(read[1]!.payload).toEqual({ title: 'At the harbour', creator: 'Jane Doe', people: ['John Roe', 'jane doe'] });
  });

  it('pads every sealed value to 32 bytes, so a short name and a long one seal alike; a value sealed unpadded still opens', async () => {
    await log.append([ingestedDraft('asset-1', { actor: 'Al' }), people('asset-1', 'Maximilian Fitzgerald', 'Jo', ['Bartholomew Fitz'])]);
    const [ingest, edit] = await stored();
    const sealed = [ingest!.actor, edit!.actor, edit!.payload.creator as string, ...(edit!.payload.people as string[])];
    expect(new Set(sealed.map((value) => value.length)).size).toBe(1);

    // Sealed as values were before the padding: the bare name.
    const id = randomUUID();
    const key = (await keys.keysOf([subjectOf('Zoe Quill')])).get(subjectOf('Zoe Quill'))!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.key, iv).setAAD(Buffer.from(id));
    const data = Buffer.concat([iv, cipher.update('Zoe Quill', 'utf8'), cipher.final(), cipher.getAuthTag()]);
    await raw.append([{ ...ingestedDraft('asset-old'), id, actor: `sealed:v1:${key.id}:${data.toString('base64url')}` }]);
    expect((await log.readAsset('asset-old')).map((event) => event.actor)).toEqual(['Zoe Quill']);
  });

  it('leaves the system actor in the clear', async () => {
    await log.append([ingestedDraft('asset-1', { actor: 'medialake' })]);
    expect((await stored())[0]!.actor).toBe('medialake');
  });

  it('validates a value before sealing it, when its length still shows', async () => {
    await expect(log.append([ingestedDraft('asset-1', { actor: 'x'.repeat(201) })])).rejects.toThrow(InvalidEventError);
    await expect(log.append([people('asset-1', 'bob', 'Jane', Array(101).fill('Someone'))])).rejects.toThrow(/people/);
    expect(await raw.readAsset('asset-1')).toEqual([]);
  });

  it('after an erasure reads "[erased]" for that subject only, everywhere, while the chain still verifies', async () => {
    await log.append([ingestedDraft('asset-1', { actor: 'Jane Doe' }), people('asset-1', 'bob', 'Jane Doe', ['John Roe', 'JANE  DOE '])]);
    expect(await eraseSubjects(log, keys, [' jane doe'])).toEqual([true]);
    expect(await eraseSubjects(log, keys, ['Jane Doe'])).toEqual([false]);
    const seen: StoredEvent[] = [];
    const subscription = log.subscribe({ group: 'watcher', handle: async (batch) => void seen.push(...batch) });

    const read = await log.readAsset('asset-1');
    expect(read.map((e) => e.actor)).toEqual([ERASED, 'bob']);
    expect(read[1]!.payload).toMatchObject({ creator: ERASED, people: ['John Roe', ERASED] });
    const replayed = [];
    for await (const batch of log.readAll()) replayed.push(...batch);
    expect(replayed.map((e) => e.actor)).toEqual([ERASED, 'bob']);
    await waitFor('the subscriber to see both events', () => seen.length === 2);
    await subscription.stop();
    expect(seen[1]!.payload).toMatchObject({ creator: ERASED, people: ['John Roe', ERASED] });

    expect((await raw.verifyChain()).map((report) => report.breaks)).toEqual([[]]);
    // Jane acts again: a new key, readable; what was erased stays erased.
    const [again] = await log.append([{ ...editDraft('asset-1', 'later'), actor: 'Jane Doe' }]);
    expect(again!.actor).toBe('Jane Doe');
    expect((await log.readAsset('asset-1')).map((e) => e.actor)).toEqual([ERASED, 'bob', 'Jane Doe']);
  });

  it('erases every spelling of a name on the log that case folds to the one asked for, as an all-caps list writes them', async () => {
    await log.append([
      ingestedDraft('asset-1', { actor: 'Straße Mann' }),
      ingestedDraft('asset-2', { actor: 'İpek Yılmaz' }),
      people('asset-1', 'STRASSE MANN', 'Straße Mann', ['Ipek Yilmaz']),
    ]);
    expect(await eraseSubjects(log, keys, ['STRASSE MANN', 'İPEK YILMAZ', 'Nobody Here'])).toEqual([true, true, false]);
    const actors = [...(await log.readAsset('asset-1')), ...(await log.readAsset('asset-2'))].map((e) => e.actor);
    expect(actors).toEqual([ERASED, ERASED, ERASED]);
    // A name that only folds alike in spacing and case, not in letters (Ipek without the dot), is another spelling: it stays.
    expect((await log.readAsset('asset-1'))[1]!.payload).toMatchObject({ creator: ERASED, people: ['Ipek Yilmaz'] });
  });

  it('returns the stored event, opened, when an id is appended again', async () => {
    const first = ingestedDraft('asset-1', { actor: 'Jane Doe' });
    await log.append([first]);
    const [again] = await log.append([{ ...first, actor: 'Someone Else' }]);
    expect(again!.actor).toBe('Jane Doe');
  });

  it("offers the backend's chain check, its reads by position (values opened) and its asset heads", async () => {
    const [ingest] = await log.append([ingestedDraft('asset-1', { actor: 'Jane Doe' })]);
    expect(isTamperEvident(log)).toBe(true);
    expect((await log.verifyChain!()).map((report) => report.breaks)).toEqual([[]]);
    expect(await log.partitionIds!()).toEqual(['0']);
    expect((await log.readAfter!('0', undefined, 10)).map((e) => e.actor)).toEqual(['Jane Doe']);
    const head = await log.assetHead('asset-1');
    expect(head).toEqual({ version: 1, live: true, sha256: '0'.repeat(64), ingest: { eventId: ingest!.id, partition: '0', offset: '0' } });
    expect((await log.readAt(head.ingest!))!.actor).toBe('Jane Doe');
    expect((await raw.readAt(head.ingest!))!.actor).toMatch(SEALED);
  });

  it('refuses a sealed value moved into another event', async () => {
    await log.append([ingestedDraft('asset-1', { actor: 'Jane Doe' }), editDraft('asset-1', 'x')]);
    const [ingest, edit] = raw.database.prepare<[], { id: string; actor: string }>('SELECT id, actor FROM events ORDER BY offset').all();
    raw.database.prepare('UPDATE events SET actor = ? WHERE id = ?').run(ingest!.actor, edit!.id);
    await expect(log.readAsset('asset-1')).rejects.toThrow(SealedValueError);
  });
});
