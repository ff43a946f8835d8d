import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { openTestLake } from '../support/lake';
import { startOidcIssuer } from '../support/oidcIssuer';

/** GET /auth/config: what the sign-in page reads before anyone has signed in. */
describe('the sign-in settings route', () => {
  let issuer: Awaited<ReturnType<typeof startOidcIssuer>>;
  beforeAll(async () => void (issuer = await startOidcIssuer('web-client')));
  afterAll(() => issuer.close());

  async function askWith(overrides: Record<string, unknown>) {
    const lake = await openTestLake(overrides);
    const app = await buildServer(lake);
    try {
      const response = await app.inject({ url: '/auth/config' });
      const page = await app.inject({ url: '/', headers: { accept: 'text/html' } });
      return { status: response.statusCode, body: response.json(), csp: String(page.headers['content-security-policy']) };
    } finally {
      await app.close();
      await lake.close();
    }
  }

  it('tells the issuer, the app client, the scopes and the endpoints from the discovery document, without a credential; the page may reach the token endpoint', async () => {
    const { status, body, csp } = await askWith({ 'auth.oidc.issuer': issuer.issuer, 'auth.oidc.audiences': ['web-client', 'cli'] });
    expect(status).toBe(200);
    expect(body.oidc).toEqual({
      issuer: issuer.issuer,
      clientId: 'web-client',
      scopes: ['openid', 'email', 'profile'],
      authorizationEndpoint: `${issuer.issuer}/oauth2/authorize`,
      tokenEndpoint: `${issuer.issuer}/oauth2/token`,
      logoutEndpoint: `${issuer.issuer}/logout`,
    });
    expect(csp).toMatch(new RegExp(`connect-src 'self' ${issuer.issuer}(;|$)`));
  });

  it('takes configured endpoints over discovery (Cognito names no logout endpoint there)', async () => {
    const { body } = await askWith({
      'auth.oidc.issuer': 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST',
      'auth.oidc.audiences': ['client-1'],
      'auth.oidc.clientId': 'web',
      'auth.oidc.scopes': 'openid profile',
      'auth.oidc.authorizationEndpoint': 'https://lake.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
      'auth.oidc.tokenEndpoint': 'https://lake.auth.eu-west-1.amazoncognito.com/oauth2/token',
      'auth.oidc.logoutEndpoint': 'https://lake.auth.eu-west-1.amazoncognito.com/logout',
    });
    expect(body.oidc).toMatchObject({ clientId: 'web', scopes: ['openid', 'profile'], logoutEndpoint: 'https://lake.auth.eu-west-1.amazoncognito.com/logout' });
  });

  it('answers 502 OIDC_DISCOVERY_FAILED when the issuer has no discovery document', async () => {
    const { status, body } = await askWith({ 'auth.oidc.issuer': `${issuer.issuer}/elsewhere`, 'auth.oidc.audiences': ['web-client'] });
    expect(status).toBe(502);
    expect(body.error.code).toBe('OIDC_DISCOVERY_FAILED');
  });

  it('answers null without an issuer: API keys only', async () => {
    expect((await askWith({})).body).toEqual({ oidc: null });
  });
});
