import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OidcSignIn, type OidcSignInSettings } from '../access/oidcSignIn';

const AuthConfig = z.object({
  oidc: OidcSignIn.nullable().describe('Sign-in with the OIDC issuer (authorization code with PKCE); null where the lake has none: API keys only'),
});

/** How to sign in here: public, as the sign-in page asks before anyone has. */
export const authConfigRoutes =
  (oidc: OidcSignInSettings | undefined): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/auth/config',
      {
        config: { public: true },
        schema: { operationId: 'getAuthConfig', summary: "How the web UI signs people in: the OIDC issuer's endpoints, app client and scopes, if the lake has an issuer", response: { 200: AuthConfig } },
      },
      async () => ({ oidc: oidc ? await oidc.get() : null }),
    );
  };
