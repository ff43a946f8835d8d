import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { credential } from '../api/credential';

/** Takes an API key (kept for this tab only) and checks it against the API before going on. */
export function SignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  // Only a path of this site: "//host/…" would leave it.
  const asked = params.get('next') ?? '/';
  const next = asked.startsWith('/') && !asked.startsWith('//') ? asked : '/';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const key = String(new FormData(event.currentTarget).get('key') ?? '').trim();
    if (!key) return setError('Enter an API key.');
    // The key checked, and the browser given its media cookie (web/src/api/mediaCredential.ts), in one request.
    const response = await fetch('/media-credential', { method: 'POST', headers: { authorization: `Bearer ${key}` } }).catch(() => undefined);
    if (!response) return setError('The server cannot be reached: is medialake serve running?');
    if (response.status === 401 || response.status === 403) return setError('The API refused this key: check it, or ask an admin for one.');
    credential.set(key);
    navigate(next, { replace: true });
  };

  return (
    <main className="sign-in">
      <h1>medialake</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label>
          API key
          <input name="key" type="password" autoComplete="current-password" autoFocus />
        </label>
        <button type="submit">Sign in</button>
        {error && <p role="alert">{error}</p>}
      </form>
    </main>
  );
}
