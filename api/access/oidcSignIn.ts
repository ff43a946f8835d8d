import { z } from 'zod';
import type { Config } from '../../app/config';
import { HttpError } from '../errors';

/** What the web UI needs to sign a person in with the issuer (authorization code with PKCE), as GET /auth/config tells it. */
export const OidcSignIn = z.object({
  issuer: z.url(),
  clientId: z.string().describe('The public app client the UI signs in as (no secret: PKCE)'),
  scopes: z.array(z.string()),
  authorizationEndpoint: z.url(),
  tokenEndpoint: z.url(),
  logoutEndpoint: z.url().optional().describe("Where sign-out ends the issuer's session too; absent if the issuer has none"),
});
export type OidcSignIn = z.infer<typeof OidcSignIn>;

/** The part of an issuer's /.well-known/openid-configuration that sign-in reads. */
const Discovery = z.object({
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  end_session_endpoint: z.url().optional(),
});

/**
 * The issuer's sign-in endpoints: those configured, the rest from its
 * discovery document, fetched once (a failure is retried on the next ask).
 * `known()` is what the Content-Security-Policy lets the page connect to.
 */
export class OidcSignInSettings {
  private discovered?: Promise<OidcSignIn>;
  private settled?: OidcSignIn;

  constructor(private readonly oidc: Config['auth']['oidc'] & { issuer: string }) {}

  get(): Promise<OidcSignIn> {
    this.discovered ??= this.resolve().then(
      (settings) => (this.settled = settings),
      (error: unknown) => {
        this.discovered = undefined;
        throw new HttpError(502, 'OIDC_DISCOVERY_FAILED', `the OIDC issuer's discovery document could not be read (${(error as Error).message}): set auth.oidc.authorizationEndpoint and auth.oidc.tokenEndpoint`);
      },
    );
    return this.discovered;
  }

  /** The settings once read, for the page's connect-src: undefined until then. */
  known(): OidcSignIn | undefined {
    return this.settled;
  }

  private async resolve(): Promise<OidcSignIn> {
    const { issuer, clientId, audiences, scopes, authorizationEndpoint, tokenEndpoint, logoutEndpoint } = this.oidc;
    const fixed = { issuer, clientId: clientId ?? audiences[0]!, scopes };
    if (authorizationEndpoint && tokenEndpoint) return { ...fixed, authorizationEndpoint, tokenEndpoint, ...(logoutEndpoint && { logoutEndpoint }) };
    const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    const document = Discovery.parse(await response.json());
    const logout = logoutEndpoint ?? document.end_session_endpoint;
    return {
      ...fixed,
      authorizationEndpoint: authorizationEndpoint ?? document.authorization_endpoint,
      tokenEndpoint: tokenEndpoint ?? document.token_endpoint,
      ...(logout && { logoutEndpoint: logout }),
    };
  }
}
