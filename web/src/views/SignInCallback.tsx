import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { signInWith } from '../api/credential';
import { completeOidcSignIn, SignInError } from '../api/oidc';
import { oidcSignIn } from './SignIn';

/** The issuer's answer, read once per page even where React runs an effect twice: the pending sign-in is used up by the first read. */
let completing: Promise<string> | undefined;

async function complete(query: URLSearchParams): Promise<string> {
  const settings = await oidcSignIn();
  if (!settings) throw new SignInError('This lake has no sign-in service: sign in with an API key.');
  const { accessToken, logoutUrl, next } = await completeOidcSignIn(settings, query);
  const refused = await signInWith(accessToken, logoutUrl);
  if (refused) throw new SignInError(refused);
  return next;
}

/** Where the issuer sends the browser back (/sign-in/callback): the code becomes a token, and the user goes where they were going. */
export function SignInCallback() {
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  useEffect(() => {
    completing ??= complete(new URLSearchParams(location.search));
    completing.then(
      (next) => navigate(next, { replace: true }),
      (failure: unknown) => setError(failure instanceof SignInError ? failure.message : 'Signing in failed: try again.'),
    );
  }, [navigate]);
  return (
    <main className="sign-in">
      <h1>medialake</h1>
      {error ? (
        <p role="alert">
          {error} <Link to="/sign-in">Back to sign-in</Link>
        </p>
      ) : (
        <p className="placeholder">Signing in…</p>
      )}
    </main>
  );
}
