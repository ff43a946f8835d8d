import { useEffect, useId, useState } from 'react';
import { changeMembers, listCollections, type Collection } from '../api/collections';
import type { Selection } from './selection';

/**
 * What can be done with the selected assets: add them to a collection, or
 * take them out of the one shown (`current`). Hidden while nothing is selected.
 */
export function SelectionBar({ selection, current, onChanged }: { selection: Selection; current?: Collection; onChanged?: () => void }) {
  const [collections, setCollections] = useState<Collection[]>([]);
  const [target, setTarget] = useState('');
  const picker = useId();
  const [message, setMessage] = useState('');
  const count = selection.selected.size;
  useEffect(() => {
    if (count) void listCollections().then(setCollections, (failure: Error) => setMessage(failure.message));
  }, [count > 0]); // eslint-disable-line react-hooks/exhaustive-deps

  const change = async (collection: Collection, member: boolean) => {
    try {
      const changed = await changeMembers(collection.id, [...selection.selected], member);
      setMessage(`${member ? 'Added' : 'Removed'} ${changed} ${member ? 'to' : 'from'} ${collection.name}.`);
      selection.clear();
      onChanged?.();
    } catch (failure) {
      setMessage((failure as Error).message);
    }
  };
  const chosen = collections.find((collection) => collection.id === target);
  if (!count && !message) return null;

  return (
    <div className="selection-bar" role="region" aria-label="Selected assets">
      <p role="status">{count ? `${count} selected` : message}</p>
      {count > 0 && (
        <>
          <label htmlFor={picker}>Collection</label>
          <select id={picker} value={target} onChange={(event) => setTarget(event.target.value)}>
              <option value="">choose…</option>
              {collections.map((collection) => (
                <option key={collection.id} value={collection.id}>
                  {collection.name}
                </option>
            ))}
          </select>
          <button type="button" disabled={!chosen} onClick={() => chosen && void change(chosen, true)}>
            Add to collection
          </button>
          {current && (
            <button type="button" onClick={() => void change(current, false)}>
              Remove from {current.name}
            </button>
          )}
          <button type="button" onClick={selection.clear}>
            Clear selection
          </button>
        </>
      )}
    </div>
  );
}
