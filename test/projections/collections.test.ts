import { mkdtempSync, readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../projections/collections/collections';
import { SqliteCollections } from '../../projections/collections/sqlite';
import { RebuildableSqliteCollections } from '../../projections/lifecycle/rebuildableSqliteStores';
import type { EventDraft } from '../../schemas/envelope';
import { resultDraft, storedHistory } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { readers, rebuilderContract } from './rebuilder.contract';

const contractData = temporaryDirectory();
afterAll(() => contractData.remove());

rebuilderContract('embedded SQLite (collections)', {
  async open() {
    const directory = mkdtempSync(join(contractData.path, 'data-'));
    const store = new RebuildableSqliteCollections({ directory, definition: COLLECTIONS, open: (path) => new SqliteCollections(path) });
    const generations = async () =>
      readdirSync(directory).flatMap((file) => file.match(/^collections(?:\.(.+))?\.db$/)?.slice(1).map((g) => g ?? 'initial') ?? []).sort();
    return { store, generations };
  },
  read: readers.collections,
});

const id = (digit: string) => `c${digit.repeat(32)}`;
const [TOP, MIDDLE, BOTTOM, OTHER] = ['1', '2', '3', '4'].map(id) as [string, string, string, string];

describe('the collections projection', () => {
  let directory: ReturnType<typeof temporaryDirectory>;
  let store: SqliteCollections;
  beforeEach(() => {
    directory = temporaryDirectory();
    store = new SqliteCollections(join(directory.path, 'collections.db'));
  });
  afterEach(async () => {
    await store.close();
    directory.remove();
  });
  const applied = async (drafts: EventDraft[]) => {
    const events = await storedHistory(join(directory.path, 'log.db'), drafts);
    await store.apply(events);
    return events;
  };
  const tree = () => [
    resultDraft(TOP, 'CollectionCreated', { name: 'Top', parentId: null }),
    resultDraft(MIDDLE, 'CollectionCreated', { name: 'Middle', parentId: TOP }),
    resultDraft(BOTTOM, 'CollectionCreated', { name: 'Bottom', parentId: MIDDLE }),
    resultDraft(OTHER, 'CollectionCreated', { name: 'Other', parentId: null }),
  ];
  const bob = { id: 'user:bob', groups: ['darkroom'] };

  it('expands a share to every collection nested under it, at any depth, and only those', async () => {
    await applied([...tree(), resultDraft(MIDDLE, 'CollectionShared', { subject: { kind: 'group', id: 'darkroom' }, role: 'viewer' })]);
    expect(await store.sharedWith(bob, ['viewer', 'editor'])).toEqual([MIDDLE, BOTTOM]);
    expect(await store.sharedWith(bob, ['editor'])).toEqual([]);
    expect(await store.sharedWith({ id: 'user:carol', groups: [] }, ['viewer', 'editor'])).toEqual([]);
    expect(await store.ancestors(BOTTOM)).toEqual([MIDDLE, TOP]);
    expect(await store.hasChildren(MIDDLE)).toBe(true);
    expect(await store.hasChildren(BOTTOM)).toBe(false);
  });

  it('follows moves, role changes, revokes and deletes', async () => {
    await applied([
      ...tree(),
      resultDraft(TOP, 'CollectionShared', { subject: { kind: 'principal', id: 'user:bob' }, role: 'viewer' }),
      resultDraft(TOP, 'CollectionShared', { subject: { kind: 'principal', id: 'user:bob' }, role: 'editor' }),
      resultDraft(OTHER, 'CollectionShared', { subject: { kind: 'principal', id: 'user:bob' }, role: 'viewer' }),
      resultDraft(MIDDLE, 'CollectionMoved', { parentId: OTHER }),
      resultDraft(TOP, 'CollectionShareRevoked', { subject: { kind: 'principal', id: 'user:bob' } }),
      resultDraft(BOTTOM, 'CollectionDeleted', {}),
    ]);
    expect(await store.sharedWith(bob, ['viewer', 'editor'])).toEqual([MIDDLE, OTHER]);
    expect((await store.list()).map((c) => [c.name, c.parentId])).toEqual([
      ['Middle', OTHER],
      ['Other', null],
      ['Top', null],
    ]);
    expect(await store.get(BOTTOM)).toBeUndefined();
  });

  it('passes over a move that would nest a collection under itself, as two moves checked at once can put on the log', async () => {
    // TOP and OTHER each moved under the other, both checked before either was applied.
    await applied([...tree(), resultDraft(TOP, 'CollectionMoved', { parentId: OTHER }), resultDraft(OTHER, 'CollectionMoved', { parentId: BOTTOM })]);
    expect((await store.list()).map((c) => [c.name, c.parentId])).toEqual([
      ['Bottom', MIDDLE],
      ['Middle', TOP],
      ['Other', null],
      ['Top', OTHER],
    ]);
    expect(await store.ancestors(BOTTOM)).toEqual([MIDDLE, TOP, OTHER]);

    // A file that holds a cycle all the same (folded by a version before this check) is read, not walked for good.
    const file = new Database(join(directory.path, 'collections.db'));
    file.prepare('UPDATE collections SET parent_id = ? WHERE id = ?').run(BOTTOM, OTHER);
    file.close();
    expect(await store.ancestors(BOTTOM)).toEqual([MIDDLE, TOP, OTHER, BOTTOM]);
  });

  it('lists collections by name as people read an index, and one name however a keyboard encoded it', async () => {
    const names = ['Zebra', 'apfel', 'Äpfel', 'München', 'İzmir', 'Roll 10', 'Roll 9', 'Mu\u0308nchen'];
    const ids = names.map((_, n) => `c${String(n).padStart(32, '0')}`);
    await applied(names.map((name, n) => resultDraft(ids[n]!, 'CollectionCreated', { name, parentId: null })));
    const listed = await store.list();
    expect(listed.map((c) => c.name)).toEqual(['apfel', 'Äpfel', 'İzmir', 'München', 'München', 'Roll 9', 'Roll 10', 'Zebra']);
    // The decomposed spelling (typed on a Mac) is kept composed: the two are the same name, told apart by id.
    expect(listed.filter((c) => c.name === 'München').map((c) => c.id)).toEqual([ids[3], ids[7]]);
  });

  it('applies each event once: a redelivered batch changes nothing', async () => {
    const events = await applied([
      ...tree(),
      resultDraft('aphoto0001', 'AssetFavourited', { principalId: 'user:bob' }),
      resultDraft(TOP, 'CollectionRenamed', { name: 'Renamed' }),
    ]);
    const before = { list: await store.list(), favourites: await store.favourites('user:bob') };
    await store.apply(events);
    await store.apply(events.slice(0, 1));
    expect({ list: await store.list(), favourites: await store.favourites('user:bob') }).toEqual(before);
    expect(before.favourites).toEqual(['aphoto0001']);
    expect(before.list.find((c) => c.id === TOP)?.name).toBe('Renamed');
  });
});
