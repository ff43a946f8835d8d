import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { openTestLake } from '../support/lake';
import { expectApiError } from './http';

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST';
const CLIENT_ID = 'client-1';

type Key = Awaited<ReturnType<typeof generateKeyPair>> & { kid: string };

async function makeKey(kid: string): Promise<Key> {
  return { ...(await generateKeyPair('RS256', { extractable: true })), kid };
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * OIDC bearer tokens against an issuer this test plays: a JWKS HTTP server
 * with keys the test makes, and tokens shaped as Amazon Cognito issues them.
 */
describe('OIDC bearer tokens (Cognito-shaped), verified against the issuer JWKS', () => {
  let jwksServer: Server;
  let published: JWK[] = [];
  let fetches = 0;
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let first: Key;

  const sign = (key: Key, claims: JWTPayload, expiresIn: string | number = '10m') =>
    new SignJWT({ token_use: 'access', client_id: CLIENT_ID, 'cognito:groups': ['editor'], username: 'carol', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer((claims.iss as string) ?? ISSUER)
      .setSubject('sub-carol')
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key.privateKey);
  const call = (token: string, url = '/assets', method = 'GET') => app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const publish = async (...keys: Key[]) => {
    published = await Promise.all(keys.map(async (key) => ({ ...(await exportJWK(key.publicKey)), kid: key.kid, alg: 'RS256', use: 'sig' })));
  };

  beforeAll(async () => {
    first = await makeKey('first');
    await publish(first);
    jwksServer = createServer((_, response) => {
      fetches += 1;
      response.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    lake = await openTestLake({
      'auth.oidc.issuer': ISSUER,
      'auth.oidc.audiences': [CLIENT_ID],
      'auth.oidc.jwksUri': `http://127.0.0.1:${port}/.well-known/jwks.json`,
      'auth.oidc.jwksCooldownSeconds': 0,
      'auth.oidc.groupRoles': { 'media-admins': 'admin' },
    });
    app = await buildServer(lake);
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
    jwksServer.close();
  });

  it('accepts a Cognito access token (client_id, no aud) and maps cognito:groups to roles', async () => {
    const editor = await sign(first, {});
    expect((await call(editor)).statusCode).toBe(200);
    expect((await call(editor, '/audit')).statusCode).toBe(403);
    const admin = await sign(first, { 'cognito:groups': ['media-admins'] });
    expect((await call(admin, '/audit')).statusCode).toBe(200);
  });

  it('keeps the groups that grant a role out of the groups collections are shared with', async () => {
    const token = await sign(first, { 'cognito:groups': ['viewer', 'media-admins', 'press'] });
    expect((await call(token, '/me')).json()).toMatchObject({ roles: expect.arrayContaining(['viewer', 'admin']), groups: ['press'] });
  });

  it('accepts a Cognito id token (aud instead of client_id)', async () => {
    const id = await sign(first, { token_use: 'id', client_id: undefined, aud: CLIENT_ID, 'cognito:groups': ['viewer'] });
    expect((await call(id)).statusCode).toBe(200);
    expect((await call(id, '/projections/cameras/rebuild', 'POST')).statusCode).toBe(403);
  });

  it('authenticates a token with no role group but lets it do nothing (403)', async () => {
    expect((await call(await sign(first, { 'cognito:groups': ['staff'] }))).statusCode).toBe(403);
  });

  it.each([
    ['expired beyond the clock skew', { exp: Math.floor(Date.now() / 1000) - 300 }, /expired/],
    ['from another issuer', { iss: 'https://evil.example' }, /iss/],
    ['for another audience', { client_id: 'someone-else' }, /audience/],
    ['a refresh token', { token_use: 'refresh' }, /access or id token/],
  ])('refuses a token %s', async (_, claims, message) => {
    const { exp, ...rest } = claims as JWTPayload;
    const response = await call(await sign(first, rest, exp ?? '10m'));
    expect(response.statusCode).toBe(401);
    expectApiError(response.json(), 'UNAUTHENTICATED');
    expect(response.json().error.message).toMatch(message);
  });

  it("refuses a name that reads as the system's own actors, however it is spaced or hidden", async () => {
    for (const username of ['medialake ', ' s3', 'anonymous\t', '[erased] ', 'Medi\u200balake', 'ｍｅｄｉａｌａｋｅ', 'webhook:ingest', 'sealed:x']) {
      const response = await call(await sign(first, { username }), '/me');
      expect(response.statusCode, JSON.stringify(username)).toBe(401);
      expect(response.json().error.message).toMatch(/reserved|cannot start/);
    }
    const spaced = await call(await sign(first, { username: '  Carol\u202e ' }), '/me');
    expect(spaced.json()).toMatchObject({ name: 'Carol' });
  });

  it('accepts a token expired within the clock skew (auth.oidc.clockToleranceSeconds)', async () => {
    expect((await call(await sign(first, {}, Math.floor(Date.now() / 1000) - 20))).statusCode).toBe(200);
  });

  it('refuses alg none, a tampered payload and a key the issuer never published', async () => {
    const valid = await sign(first, {});
    const [header, payload, signature] = valid.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    const tampered = `${header}.${base64url({ ...claims, 'cognito:groups': ['admin'] })}.${signature}`;
    const stranger = await sign(await makeKey('stranger'), {});
    for (const [token, message] of [[none, /algorithm|not a valid/], [tampered, /signature/], [stranger, /kid/]] as const) {
      const response = await call(token);
      expect(response.statusCode).toBe(401);
      expect(response.json().error.message).toMatch(message);
    }
  });

  it('says an API key cut short is not a valid key, though an OIDC issuer is configured', async () => {
    const response = await call(`mlk_0123456789ab_${'x'.repeat(40)}`);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.message).toMatch(/^the API key is not valid/);
  });

  it('picks up a rotated key: an unknown kid fetches the JWKS again', async () => {
    const second = await makeKey('second');
    await publish(second);
    const before = fetches;
    expect((await call(await sign(second, {}))).statusCode).toBe(200);
    expect(fetches).toBeGreaterThan(before);
    expect((await call(await sign(first, {}))).statusCode).toBe(401); // retired with the rotation
  });

  it("gives an OIDC caller a media cookie that ends with the token, and authenticates the caller's media requests with it", async () => {
    const current = await makeKey('media');
    await publish(current);
    const token = await sign(current, {}, '5m');
    const issued = await call(token, '/media-credential', 'POST');
    expect(issued.statusCode).toBe(200);
    const setCookie = String(issued.headers['set-cookie']);
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)![1]);
    expect(maxAge).toBeGreaterThan(240);
    expect(maxAge).toBeLessThanOrEqual(300);
    const cookie = /^medialake_media=([^;]*)/.exec(setCookie)![1];
    const rendition = '/assets/0198c0de-0000-7000-8000-000000000000/renditions/thumbnail';
    expect((await app.inject({ url: rendition })).statusCode).toBe(401);
    // Authenticated as carol: the asset is simply not there.
    const answer = await app.inject({ url: rendition, headers: { cookie: `medialake_media=${cookie}` } });
    expect(answer.statusCode).toBe(404);
    expectApiError(answer.json(), 'ASSET_NOT_FOUND');
  });
});
