import { useEffect, useId, useState } from 'react';
import { changeMembers, listCollections, type Collection } from '../api/collections';
import { focusNeighbourWhenGone } from '../focusNeighbour';
import type { Selection } from './selection';

/**
 * What can be done with the selected assets: add them to a collection, or
 * take them out of the one shown (`current`), where the user may change
 * what the collection holds. Hidden while nothing is selected.
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
  const mayChange = (collection: Collection) => collection.may.includes('manageCollectionAssets');
  const addable = collections.filter(mayChange);
  const chosen = addable.find((collection) => collection.id === target);
  // The controls go with the selection: the focus goes from the one used to the view's heading.
  const leaving = (event: { currentTarget: Element }) => focusNeighbourWhenGone(event.currentTarget);
  const shown = count > 0 || message !== '';

  // Mounted while nothing is selected too (hidden), so that a screen reader hears its status change.
  return (
    <div className={shown ? 'selection-bar' : 'visually-hidden'} role={shown ? 'region' : undefined} aria-label={shown ? 'Selected assets' : undefined}>
      <p role="status">{count ? `${count} selected` : message}</p>
      {count > 0 && (
        <>
          {addable.length > 0 && (
            <>
              <label htmlFor={picker}>Collection</label>
              <select id={picker} value={target} onChange={(event) => setTarget(event.target.value)}>
                <option value="">choose…</option>
                {addable.map((collection) => (
                  <option key={collection.id} value={collection.id}>
                    {collection.name}
                  </option>
                ))}
              </select>
              <button type="button" disabled={!chosen} onClick={(event) => chosen && (leaving(event), void change(chosen, true))}>
                Add to collection
              </button>
            </>
          )}
          {current && mayChange(current) && (
            <button type="button" onClick={(event) => (leaving(event), void change(current, false))}>
              Remove from {current.name}
            </button>
          )}
          <button type="button" onClick={(event) => (leaving(event), selection.clear())}>
            Clear selection
          </button>
        </>
      )}
    </div>
  );
}
