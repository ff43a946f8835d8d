import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { answer, api } from '../api/client';
import { signInWith } from '../api/credential';
import { sameSitePath } from '../api/sameSitePath';
import { beginOidcSignIn, type OidcSettings } from '../api/oidc';
import { useDocumentTitle } from '../components/ViewHeading';

/** The lake's OIDC issuer, if it has one: asked once per page. */
let oidcSettings: Promise<OidcSettings | null> | undefined;
export const oidcSignIn = () => (oidcSettings ??= answer<{ oidc: OidcSettings | null }>(api.GET('/auth/config')).then(({ oidc }) => oidc));

/** Sign-in with the lake's OIDC issuer where it has one, or with an API key (kept for this tab only), checked against the API before going on. */
export function SignIn() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const [oidc, setOidc] = useState<OidcSettings | null>(null);
  const next = sameSitePath(params.get('next'));
  useDocumentTitle('Sign in');

  useEffect(() => {
    oidcSignIn().then(setOidc, () => setError('The sign-in service is not available now: sign in with an API key, or try again.'));
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const key = String(new FormData(event.currentTarget).get('key') ?? '').trim();
    if (!key) return setError('Enter an API key.');
    const refused = await signInWith(key);
    if (refused) return setError(refused);
    navigate(next, { replace: true });
  };

  return (
    <main className="sign-in">
      <h1>medialake</h1>
      {oidc && (
        <button type="button" className="single-sign-on" autoFocus onClick={() => void beginOidcSignIn(oidc, next)}>
          Sign in with your organisation
        </button>
      )}
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
