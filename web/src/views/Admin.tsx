import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { answer, api } from '../api/client';
import { busyMarks, useOneAtATime } from '../api/oneAtATime';
import type { paths } from '../api/schema';
import { useMay } from '../api/me';
import { MayNot } from '../components/MayNot';
import { ViewHeading } from '../components/ViewHeading';
import { focusNeighbourWhenGone, matching } from '../focusNeighbour';

type User = paths['/users']['get']['responses']['200']['content']['application/json']['users'][number];
type Role = User['role'];
const ROLES: Role[] = ['admin', 'editor', 'viewer'];

/** A key just made: its only showing. */
interface NewKey {
  owner: string;
  apiKey: string;
}

const groupsOf = (text: string) => text.split(',').map((group) => group.trim()).filter(Boolean);

function ShownOnce({ created, onDone }: { created: NewKey; onDone: () => void }) {
  return (
    <section className="new-key" aria-label="New API key" role="status">
      <p>
        The API key of <strong>{created.owner}</strong>, shown this once: copy it now and hand it over safely.
      </p>
      <output data-testid="new-key">{created.apiKey}</output>
      <button type="button" onClick={() => void navigator.clipboard?.writeText(created.apiKey)}>
        Copy
      </button>
      <button type="button" onClick={(event) => (focusNeighbourWhenGone(event.currentTarget), onDone())}>
        Done
      </button>
    </section>
  );
}

function AddUser({ onAdded, onError }: { onAdded: (created: NewKey) => void; onError: (message: string) => void }) {
  const { busy, run } = useOneAtATime();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const name = String(fields.get('name') ?? '').trim();
    const body = { name, role: fields.get('role') as Role, groups: groupsOf(String(fields.get('groups') ?? '')) };
    void run(async () => {
      try {
        const { apiKey } = await answer<{ apiKey: string }>(api.POST('/users', { body }));
        form.reset();
        onAdded({ owner: name, apiKey });
      } catch (error) {
        onError((error as Error).message);
      }
    });
  };
  return (
    <form onSubmit={submit} className="filters" aria-label="Add a user">
      <label>
        Name
        <input name="name" required maxLength={200} />
      </label>
      <label>
        Role
        <select name="role" defaultValue="viewer">
          {ROLES.map((role) => (
            <option key={role}>{role}</option>
          ))}
        </select>
      </label>
      <label>
        Groups
        <input name="groups" placeholder="press, metrics" />
      </label>
      <button type="submit" {...busyMarks(busy)}>
        Add user
      </button>
    </form>
  );
}

/** The table's buttons, in order: where the focus goes when the one used is gone (a key revoked, a user disabled). */
const tableButtons = matching('[data-testid="users"] button');

/** Runs one change on the user (none while another is out); a key it answers is shown once, as theirs. */
type Act = (work: () => Promise<unknown>, owner?: string) => Promise<void>;

/**
 * A user's row. The role is chosen in the menu and applied by its button:
 * a closed menu changes its value at each arrow key, and each change would
 * else be a change of role, an event on the log.
 */
function UserRow({ user, act, busy }: { user: User; act: Act; busy: boolean }) {
  const path = { userId: user.userId };
  const [role, setRole] = useState<Role>(user.role);
  // Each listing after a change (made or refused) shows the role the user has: a refused change's choice does not stay in the menu.
  useEffect(() => setRole(user.role), [user]);
  const unchanged = role === user.role;
  return (
    <tr data-user={user.name} className={user.disabled ? 'muted' : undefined}>
      <td>{user.name}</td>
      <td>
        <select aria-label={`Role of ${user.name}`} value={role} disabled={user.disabled} onChange={(event) => setRole(event.target.value as Role)}>
          {ROLES.map((choice) => (
            <option key={choice}>{choice}</option>
          ))}
        </select>{' '}
        {!user.disabled && (
          <button
            type="button"
            aria-label={`Apply ${user.name}'s role`}
            {...busyMarks(busy || unchanged)}
            onClick={() => !unchanged && void act(() => answer(api.PATCH('/users/{userId}', { params: { path }, body: { role } })))}
          >
            Apply
          </button>
        )}
      </td>
      <td>{user.groups.join(', ')}</td>
      <td>{user.disabled ? 'disabled' : 'enabled'}</td>
      <td>
        <ul className="keys">
          {user.keys.map((key) => (
            <li key={key.keyId} data-key={key.keyId}>
              <code>{key.keyId}</code>{' '}
              {key.revoked ? (
                <span className="note">revoked</span>
              ) : (
                <button
                  type="button"
                  {...busyMarks(busy)}
                  aria-label={`Revoke key ${key.keyId}`}
                  onClick={(event) => !busy && confirm(`Revoke the key ${key.keyId} of ${user.name}? Whoever uses it is refused from now on.`) && (focusNeighbourWhenGone(event.currentTarget, tableButtons), void act(() => answer(api.DELETE('/keys/{keyId}', { params: { path: { keyId: key.keyId } } }))))}
                >
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      </td>
      <td>
        {!user.disabled && (
          <>
            <button type="button" data-action="new-key" {...busyMarks(busy)} onClick={() => void act(() => answer(api.POST('/users/{userId}/keys', { params: { path } })), user.name)}>
              New key
            </button>{' '}
            <button
              type="button"
              {...busyMarks(busy)}
              onClick={(event) => !busy && confirm(`Disable ${user.name}? Every key of theirs stops working; their history stays.`) && (focusNeighbourWhenGone(event.currentTarget, tableButtons), void act(() => answer(api.POST('/users/{userId}/disable', { params: { path } }))))}
            >
              Disable
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

/** Users, their roles and API keys, for admins: each change is an event on the log, as `medialake users` makes it (docs/access.md). */
export function Admin() {
  const [users, setUsers] = useState<User[]>();
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<NewKey>();
  const mayManage = useMay('manageUsers');
  const reload = useCallback(
    () => answer<{ users: User[] }>(api.GET('/users')).then(({ users: listed }) => setUsers(listed), (failure: Error) => setError(failure.message)),
    [],
  );
  useEffect(() => void (mayManage && reload()), [reload, mayManage]);

  /** One change, then the list again; a new key is shown once. */
  const { busy, run } = useOneAtATime();
  const act: Act = (work, owner) =>
    run(async () => {
      setError(undefined);
      try {
        const answered = (await work()) as { apiKey?: string } | undefined;
        if (answered?.apiKey && owner) setCreated({ owner, apiKey: answered.apiKey });
      } catch (failure) {
        setError((failure as Error).message);
      }
      await reload();
    });

  if (mayManage === false) return <MayNot title="Admin">Users and API keys are managed by admins.</MayNot>;
  return (
    <section className="view operations admin" aria-label="Users and keys">
      <ViewHeading title="Admin">Users and API keys</ViewHeading>
      {created && <ShownOnce created={created} onDone={() => setCreated(undefined)} />}
      <AddUser onAdded={(added) => (setCreated(added), void reload())} onError={setError} />
      {error && <p role="alert">{error}</p>}
      {users && (
        <table data-testid="users">
          <thead>
            <tr>
              {['Name', 'Role', 'Groups', 'State', 'API keys', 'Actions'].map((column) => (
                <th key={column}>{column}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <UserRow key={user.userId} user={user} act={act} busy={busy} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
