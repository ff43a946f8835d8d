import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { collectionTree, createCollection, listCollections, type Collection, type CollectionNode } from '../api/collections';
import { useLatestAsking } from '../api/latestAsking';
import { useMay } from '../api/me';
import { busyMarks, useOneAtATime } from '../api/oneAtATime';
import { ViewHeading } from '../components/ViewHeading';
import '../organize/organize.css';

function Tree({ nodes }: { nodes: CollectionNode[] }) {
  return (
    <ul>
      {nodes.map((node) => (
        <li key={node.id}>
          <Link to={`/albums/${node.id}`}>{node.name}</Link>
          {node.shares.length > 0 && <span className="note"> · shared with {node.shares.length}</span>}
          {node.children.length > 0 && <Tree nodes={node.children} />}
        </li>
      ))}
    </ul>
  );
}

/** The collections the user may see, nested as they are, with the favourites first; and a form to make one, for those who may. */
export function Collections() {
  const [collections, setCollections] = useState<Collection[]>([]);
  const [error, setError] = useState<string>();
  const parent = useId();
  // The list is asked for again after each change: only the latest asking's answer may show (an earlier one can answer after it).
  const ask = useLatestAsking();
  const load = () => {
    const latest = ask();
    return listCollections().then(
      (listed) => latest() && (setError(undefined), setCollections(listed)),
      (failure: Error) => latest() && setError(failure.message),
    );
  };
  useEffect(() => void load(), []);

  const { busy, run } = useOneAtATime();
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void run(async () => {
      try {
        await createCollection(String(data.get('name')).trim(), String(data.get('parentId')) || null);
        form.reset();
        await load();
      } catch (failure) {
        setError((failure as Error).message);
      }
    });
  };

  const mayCreate = useMay('manageCollections');
  return (
    <section className="view collections" aria-label="Collections">
      <ViewHeading title="Collections" />
      {mayCreate && (
        <div className="organize-forms">
          <form onSubmit={create} aria-label="New collection">
            <label>
              Name
              <input name="name" required maxLength={200} />
            </label>
            <div className="field">
              <label htmlFor={parent}>Inside</label>
              <select id={parent} name="parentId" defaultValue="">
                <option value="">(top level)</option>
                {collections.map((collection) => (
                  <option key={collection.id} value={collection.id}>
                    {collection.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" {...busyMarks(busy)}>
              Create collection
            </button>
          </form>
        </div>
      )}
      {error && <p role="alert">{error}</p>}
      <nav className="collections-tree" aria-label="Collections">
        <ul>
          <li>
            <Link to="/albums/favourites">★ Favourites</Link>
          </li>
        </ul>
        <Tree nodes={collectionTree(collections)} />
        {!collections.length && <p className="empty">No collections yet.</p>}
      </nav>
    </section>
  );
}
