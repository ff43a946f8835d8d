import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  collectionAssets,
  deleteCollection,
  getCollection,
  listCollections,
  renameCollection,
  share,
  unshare,
  type Collection as CollectionRecord,
  type CollectionAssets,
  type ShareRole,
  type ShareSubject,
} from '../api/collections';
import { useLatestAsking } from '../api/latestAsking';
import type { SearchHit } from '../api/types';
import { AssetGrid, hitItem } from '../components/AssetGrid';
import { ViewHeading } from '../components/ViewHeading';
import { SelectionBar } from '../organize/SelectionBar';
import { useSelection } from '../organize/selection';
import { focusNeighbourWhenGone, matching } from '../focusNeighbour';

/** Where the focus goes from an Unshare button whose share is gone: the next share's, else the share form's first field. */
const afterUnshare = matching('[data-testid="shares"] button, form[aria-label="Share"] select');
import '../organize/organize.css';

const PAGE = 200;

/** Who the collection is shared with, and (to those who may share it) a form to share it with one more user or group. */
function Shares({ collection, onChanged, onError }: { collection: CollectionRecord; onChanged: () => void; onError: (message: string) => void }) {
  const mayShare = collection.may.includes('shareCollection');
  const run = (change: Promise<unknown>) => change.then(onChanged, (failure: Error) => onError(failure.message));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const subject: ShareSubject = { kind: data.get('kind') as ShareSubject['kind'], id: String(data.get('subject')).trim() };
    void run(share(collection.id, subject, data.get('role') as ShareRole).then(() => form.reset()));
  };
  return (
    <section aria-label="Sharing">
      <h3>Shared with</h3>
      <ul className="shares" data-testid="shares">
        {collection.shares.map(({ subject, role, name = subject.id }) => (
          <li key={`${subject.kind}:${subject.id}`}>
            <span title={subject.id}>
              {subject.kind === 'group' ? 'group ' : ''}
              {name} ({role})
            </span>
            {mayShare && (
              <button type="button" onClick={(event) => (focusNeighbourWhenGone(event.currentTarget, afterUnshare), void run(unshare(collection.id, subject)))} aria-label={`Unshare ${name}`}>
                Unshare
              </button>
            )}
          </li>
        ))}
        {!collection.shares.length && <li className="note">Nobody else.</li>}
      </ul>
      {mayShare && (
        <form onSubmit={submit} aria-label="Share">
          <label>
            With a
            <select name="kind" defaultValue="principal">
              <option value="principal">user</option>
              <option value="group">group</option>
            </select>
          </label>
          <label>
            Share with
            <input name="subject" required placeholder="a user's name (or user:…, oidc:…) or a group's" />
          </label>
          <label>
            As
            <select name="role" defaultValue="viewer">
              <option value="viewer">viewer</option>
              <option value="editor">editor</option>
            </select>
          </label>
          <button type="submit">Share</button>
        </form>
      )}
    </section>
  );
}

/** Renames or deletes the collection. */
function Manage({ collection, onRenamed, onError }: { collection: CollectionRecord; onRenamed: () => void; onError: (message: string) => void }) {
  const navigate = useNavigate();
  const rename = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name')).trim();
    void renameCollection(collection.id, name).then(onRenamed, (failure: Error) => onError(failure.message));
  };
  const remove = () =>
    confirm(`Delete the collection ${collection.name}? Its assets stay in the library; whoever it is shared with no longer sees them through it.`) &&
    void deleteCollection(collection.id).then(
      () => navigate('/albums'),
      (failure: Error) => onError(failure.message),
    );
  return (
    <form onSubmit={rename} aria-label="Rename" key={collection.name}>
      <label>
        Name
        <input name="name" defaultValue={collection.name} required maxLength={200} />
      </label>
      <button type="submit">Rename</button>
      <button type="button" onClick={remove}>
        Delete collection
      </button>
    </form>
  );
}

/** One collection: its assets (select them to take them out), the collections inside it, its shares, renaming and deleting. */
export function Collection() {
  const { id = '' } = useParams();
  return <CollectionView key={id} id={id} />;
}

/** Another collection's view starts afresh: nothing of the one before (its assets, the selection, an error) stands in for it. */
function CollectionView({ id }: { id: string }) {
  const [collection, setLoaded] = useState<CollectionRecord>();
  const [collections, setCollections] = useState<CollectionRecord[]>([]);
  const children = useMemo(() => collections.filter((other) => other.parentId === id), [collections, id]);
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [total, setTotal] = useState<Pick<CollectionAssets, 'total' | 'totalRelation'>>({ total: 0, totalRelation: 'eq' });
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<string>();

  const ask = useLatestAsking();
  // The grid asks for the next page at every row scrolled near its end: a page asked for once is not asked again.
  const pageAsked = useRef<string>(undefined);
  // Pages follow each other by cursor: an asset added meanwhile neither repeats a hit nor hides one, however long the collection.
  const loadAssets = useCallback(
    (after?: string) => {
      if (after && after === pageAsked.current) return;
      pageAsked.current = after;
      // A first page asked again after a change, answering late, must not replace the later one.
      const latest = ask();
      void collectionAssets(id, PAGE, after).then(
        (page) => latest() && (setTotal(page), setNext(page.next), setHits((current) => (after ? [...current, ...page.hits] : page.hits))),
        (failure: Error) => latest() && ((pageAsked.current = undefined), setError(failure.message)),
      );
    },
    [id, ask],
  );
  // After each change that went through: an earlier failure no longer stands.
  const load = useCallback(() => {
    setError(undefined);
    void getCollection(id).then(setLoaded, (failure: Error) => setError(failure.message));
    void listCollections().then(setCollections, () => undefined);
    loadAssets();
  }, [id, loadAssets]);
  useEffect(load, [load]);
  const selection = useSelection(useMemo(() => hits.map((hit) => hit.assetId), [hits]));

  if (!collection) return error ? <p role="alert">{error}</p> : <p>Loading…</p>;
  return (
    <section className="view collection" aria-label={`Collection ${collection.name}`}>
      <div className="collection-head">
        <Link to="/albums">Collections</Link>
        <ViewHeading title={collection.name} />
        <span className="note" data-testid="count">
          {total.totalRelation === 'gte' && 'at least '}
          {total.total} {total.total === 1 ? 'asset' : 'assets'}
        </span>
      </div>
      {error && <p role="alert">{error}</p>}
      {children.length > 0 && (
        <nav aria-label="Inside this collection">
          {children.map((child) => (
            <Link key={child.id} to={`/albums/${child.id}`} className="button">
              {child.name}
            </Link>
          ))}
        </nav>
      )}
      <div className="organize-forms">
        {collection.may.includes('manageCollections') && <Manage collection={collection} onRenamed={load} onError={setError} />}
        <Shares collection={collection} onChanged={load} onError={setError} />
      </div>
      <SelectionBar selection={selection} current={collection} onChanged={load} />
      <AssetGrid
        items={hits.map((hit) => hitItem(hit))}
        hasMore={next !== undefined}
        onEnd={() => loadAssets(next)}
        selection={selection}
      />
    </section>
  );
}
