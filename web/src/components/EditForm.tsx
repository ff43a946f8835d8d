import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api, ApiError, answer } from '../api/client';
import { assetAtVersion, getAsset } from '../api/assets';
import { busyMarks, useOneAtATime } from '../api/oneAtATime';
import type { AssetRecord } from '../api/types';

/** The fields a person edits, as the form holds them (tags as one comma-separated line). */
interface Fields {
  title: string;
  description: string;
  tags: string;
}
const FIELDS = ['title', 'description', 'tags'] as const;
type Field = (typeof FIELDS)[number];

const fieldsOf = (record: AssetRecord): Fields => ({
  title: record.user.title ?? '',
  description: record.user.description ?? '',
  tags: record.user.tags.join(', '),
});

/** The commas people type: ASCII, the ideographic and full-width ones of a Chinese or Japanese input method, and Arabic's. */
const TAG_SEPARATORS = /[,、，،]/;

const editOf = (fields: Fields) => ({
  title: fields.title.trim() || null,
  description: fields.description.trim() || null,
  tags: fields.tags.split(TAG_SEPARATORS).map((tag) => tag.trim()).filter(Boolean),
});

/** Someone else saved first: what the user started from, what they typed, and what is there now. */
interface Conflict {
  base: Fields;
  theirs: AssetRecord;
  choice: Record<Field, 'mine' | 'theirs'>;
}

/**
 * A three-way merge: a field only one side changed takes that side; a field
 * both changed differently is the user's to choose (their own by default).
 */
function startMerge(base: Fields, mine: Fields, theirs: AssetRecord): Conflict {
  const current = fieldsOf(theirs);
  const choice = Object.fromEntries(FIELDS.map((field) => [field, mine[field] === base[field] && current[field] !== base[field] ? 'theirs' : 'mine'])) as Conflict['choice'];
  return { base, theirs, choice };
}

/**
 * Title, description and tags, saved with If-Match: the version the user
 * started from. A 409 (someone saved in between) opens the merge: both
 * changes side by side, one choice per field, saved against the new version.
 */
export function EditForm({ record, onSaved }: { record: AssetRecord; onSaved: () => void }) {
  const [base, setBase] = useState(() => ({ fields: fieldsOf(record), version: record.version }));
  const [mine, setMine] = useState<Fields>(base.fields);
  const [conflict, setConflict] = useState<Conflict>();
  const [message, setMessage] = useState<string>();

  // A second click on Save while the first is out would be refused as a conflict with the user's own save.
  const saving = useOneAtATime();
  const save = async (fields: Fields, version: number): Promise<void> => {
    try {
      const written = await answer<{ version: number }>(
        api.PATCH('/assets/{id}', {
          params: { path: { id: record.assetId }, header: { 'if-match': `"${version}"` } },
          body: editOf(fields),
        }),
      );
      // The record once the projection holds the edit: read at once, it can still be the one before.
      const saved = (await assetAtVersion(record.assetId, written.version)) ?? (await getAsset(record.assetId));
      setBase({ fields: fieldsOf(saved), version: saved.version });
      setMine(fieldsOf(saved));
      setConflict(undefined);
      setMessage('Saved.');
      onSaved();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 409) return setMessage((error as Error).message);
      const theirs = await getAsset(record.assetId);
      // Processing moves the version too: only a change to these fields is a conflict.
      const current = fieldsOf(theirs);
      if (FIELDS.every((field) => current[field] === base.fields[field])) return save(fields, theirs.version);
      setConflict(startMerge(base.fields, fields, theirs));
      setMessage(undefined);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void saving.run(() => save(mine, base.version));
  };

  // The merge takes the focus as it opens (its heading, read first), and gives it back to Save as it closes, however it closes.
  const heading = useRef<HTMLHeadingElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const merging = conflict !== undefined;
  const wasMerging = useRef(false);
  useEffect(() => {
    if (merging) heading.current?.focus();
    else if (wasMerging.current) saveButton.current?.focus();
    wasMerging.current = merging;
  }, [merging]);
  // Escape leaves the merge for the form, the user's edit still in it and nothing saved: saving it again opens the merge again.
  const escape = (event: KeyboardEvent) => event.key === 'Escape' && (event.preventDefault(), setConflict(undefined));

  if (conflict) {
    const theirs = fieldsOf(conflict.theirs);
    const merged = Object.fromEntries(FIELDS.map((field) => [field, conflict.choice[field] === 'mine' ? mine[field] : theirs[field]])) as unknown as Fields;
    return (
      <section className="conflict" role="dialog" aria-labelledby={headingId} data-testid="conflict" onKeyDown={escape}>
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          Someone else changed this asset while you edited it
        </h3>
        <p>Choose, for each field, which change to keep; then save the merge. Escape goes back to your edit, unsaved.</p>
        <table>
          <thead>
            <tr>
              <th>Field</th>
              <th>Yours</th>
              <th>Theirs (version {conflict.theirs.version})</th>
            </tr>
          </thead>
          <tbody>
            {FIELDS.map((field) => (
              <tr key={field} className={mine[field] === theirs[field] ? 'same' : 'differs'}>
                <th scope="row">{field}</th>
                {(['mine', 'theirs'] as const).map((side) => (
                  <td key={side}>
                    <label>
                      <input
                        type="radio"
                        name={`merge-${field}`}
                        checked={conflict.choice[field] === side}
                        onChange={() => setConflict({ ...conflict, choice: { ...conflict.choice, [field]: side } })}
                      />
                      <span data-side={side}>{(side === 'mine' ? mine : theirs)[field] || '(empty)'}</span>
                    </label>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" {...busyMarks(saving.busy)} onClick={() => void saving.run(() => save(merged, conflict.theirs.version))}>
          Save the merge
        </button>
        <button type="button" onClick={() => (setConflict(undefined), setMine(theirs), setBase({ fields: theirs, version: conflict.theirs.version }))}>
          Discard mine
        </button>
      </section>
    );
  }

  return (
    <form className="edit" onSubmit={submit} aria-label="Edit">
      <label>
        Title
        <input name="title" value={mine.title} onChange={(event) => setMine({ ...mine, title: event.target.value })} />
      </label>
      <label>
        Description
        <textarea name="description" value={mine.description} onChange={(event) => setMine({ ...mine, description: event.target.value })} />
      </label>
      <label>
        Tags (comma-separated)
        <input name="tags" value={mine.tags} onChange={(event) => setMine({ ...mine, tags: event.target.value })} />
      </label>
      <button type="submit" ref={saveButton} {...busyMarks(saving.busy)}>
        Save
      </button>
      {/* Mounted from the start, so that a screen reader hears each message as its text changes. */}
      <p role="status">{message}</p>
    </form>
  );
}
