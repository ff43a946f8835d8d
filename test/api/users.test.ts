import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { loadConfig } from '../../app/config';
import { openLake, type Lake } from '../../app/lake';
import { temporaryDirectory } from '../support/fixtures';
import { addTestUser, bearer } from '../support/principals';
import { expectApiError } from './http';

/** Users, keys and roles over HTTP: for admins only, on the producers the CLI uses, each change an event with the admin as actor. */
describe('managing users and API keys through the API', () => {
  const data = temporaryDirectory('medialake-users-');
  /** Every line the lake logged, the API's request and response lines among them. */
  const logged: string[] = [];
  let lake: Lake;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let admin: string;
  let editor: string;

  beforeAll(async () => {
    const config = loadConfig({ data: data.path, 'log.sync': 'normal' }, {});
    const sink = new Writable({ write: (chunk, _, done) => (logged.push(String(chunk)), done()) });
    lake = await openLake(config, pino({ level: 'trace' }, sink));
    lake.start();
    [admin, editor] = [await addTestUser(lake, 'ada', 'admin'), await addTestUser(lake, 'eddie', 'editor')];
    app = await buildServer(lake);
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
    data.remove();
  });

  const as = (key: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: bearer(key), ...(payload && { payload }) });

  it('refuses an editor every user and key route (403)', async () => {
    for (const [method, url, payload] of [
      ['GET', '/users'],
      ['POST', '/users', { name: 'mallory', role: 'admin' }],
      ['PATCH', '/users/user-0123456789abcdef', { role: 'admin' }],
      ['POST', '/users/user-0123456789abcdef/disable'],
      ['POST', '/users/user-0123456789abcdef/keys'],
      ['DELETE', '/keys/0123456789ab'],
    ] as const) {
      const response = await as(editor, method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expectApiError(response.json(), 'FORBIDDEN');
    }
  });

  it('lets an admin add a user whose key works at once, shown in the answer and nowhere else: not the listing, the log, the audit trail or the server log', async () => {
    const added = await as(admin, 'POST', '/users', { name: 'bob', role: 'viewer', groups: ['press'] });
    expect(added.statusCode).toBe(201);
    const { apiKey, keyId, user } = added.json();
    expect(apiKey).toMatch(/^mlk_[0-9a-f]{12}_/);
    expect(user).toMatchObject({ name: 'bob', role: 'viewer', groups: ['press'], disabled: false, keys: [{ keyId, revoked: false }] });
    expect((await as(apiKey, 'GET', '/me')).json()).toEqual({ name: 'bob', kind: 'user', roles: ['viewer'], groups: ['press'], may: [], semanticSearch: false });

    const secret = apiKey.slice(`mlk_${keyId}_`.length);
    const listing = await as(admin, 'GET', '/users');
    expect(listing.json().users.map((entry: { name: string }) => entry.name)).toEqual(expect.arrayContaining(['ada', 'eddie', 'bob']));
    const events = await lake.log.readAsset(user.userId);
    expect(events.map((event) => [event.type, event.actor, event.source])).toEqual([
      ['UserAdded', expect.anything(), 'api'],
      ['ApiKeyCreated', 'ada', 'api'],
    ]);
    const audit = await as(admin, 'GET', '/audit?type=UserAdded,ApiKeyCreated');
    expect(audit.statusCode).toBe(200);
    expect(logged.some((line) => line.includes('/users'))).toBe(true);
    for (const [where, text] of [['listing', listing.body], ['log', JSON.stringify(events)], ['audit', audit.body], ['server log', logged.join('')]]) {
      expect(text, where).not.toContain(secret);
    }
  });

  it('lets an admin change a role, make another key, revoke it and disable a user; each counts from the next request', async () => {
    const { user, apiKey } = (await as(admin, 'POST', '/users', { name: 'carla', role: 'viewer' })).json();
    expect((await as(apiKey, 'GET', '/audit')).statusCode).toBe(403);
    const changed = await as(admin, 'PATCH', `/users/${user.userId}`, { role: 'admin' });
    expect(changed.json()).toMatchObject({ role: 'admin' });
    expect((await as(apiKey, 'GET', '/audit')).statusCode).toBe(200);

    const second = await as(admin, 'POST', `/users/${user.userId}/keys`);
    expect(second.statusCode).toBe(201);
    const { keyId, apiKey: secondKey } = second.json();
    expect((await as(secondKey, 'GET', '/me')).statusCode).toBe(200);
    expect((await as(admin, 'DELETE', `/keys/${keyId}`)).statusCode).toBe(204);
    expect((await as(secondKey, 'GET', '/me')).statusCode).toBe(401);
    expectApiError((await as(admin, 'DELETE', `/keys/${keyId}`)).json(), 'KEY_NOT_FOUND');

    const disabled = await as(admin, 'POST', `/users/${user.userId}/disable`);
    expect(disabled.json()).toMatchObject({ disabled: true });
    expect((await as(apiKey, 'GET', '/me')).statusCode).toBe(401);
  });

  it('keeps an admin: the last enabled one can be neither demoted nor disabled (409), so nobody is locked out of the API', async () => {
    const ada = (await lake.principals.userNamed('ada'))!;
    for (const [method, url, payload] of [
      ['PATCH', `/users/${ada.userId}`, { role: 'viewer' }],
      ['POST', `/users/${ada.userId}/disable`],
    ] as const) {
      const refused = await as(admin, method, url, payload);
      expect(refused.statusCode).toBe(409);
      expectApiError(refused.json(), 'LAST_ADMIN');
      expect(refused.json().error.message).toBe('ada is the last admin: make another user admin first');
    }
    expect((await as(admin, 'GET', '/users')).statusCode).toBe(200);
    // Groups change as before; with a second admin, the first may step down.
    expect((await as(admin, 'PATCH', `/users/${ada.userId}`, { groups: ['desk'] })).statusCode).toBe(200);
    const { apiKey: second } = (await as(admin, 'POST', '/users', { name: 'abe', role: 'admin' })).json();
    expect((await as(admin, 'PATCH', `/users/${ada.userId}`, { role: 'editor' })).json()).toMatchObject({ role: 'editor' });
    const abe = (await lake.principals.userNamed('abe'))!;
    expectApiError((await as(second, 'POST', `/users/${abe.userId}/disable`)).json(), 'LAST_ADMIN');
    expect((await as(second, 'PATCH', `/users/${ada.userId}`, { role: 'admin' })).statusCode).toBe(200);
  });

  it('logs requests without their query values: what people search for and filter by is nobody else\'s to read, and no erasure reaches a log', async () => {
    expect((await as(admin, 'GET', '/search?q=Quillfeather&limit=5')).statusCode).toBe(200);
    expect(logged.filter((line) => line.includes('Quillfeather'))).toEqual([]);
    expect(logged.map((line) => JSON.parse(line).req?.url)).toContain('/search?q=…&limit=…');
  });

  it('answers what cannot be done with the error and its reason', async () => {
    const taken = await as(admin, 'POST', '/users', { name: 'ada', role: 'viewer' });
    expect(taken.statusCode).toBe(409);
    expectApiError(taken.json(), 'USER_EXISTS');
    const unknown = await as(admin, 'PATCH', '/users/user-0123456789abcdef', { role: 'viewer' });
    expect(unknown.statusCode).toBe(404);
    expectApiError(unknown.json(), 'USER_NOT_FOUND');
    for (const [url, payload] of [['/users', { name: 'medialake', role: 'admin' }], ['/users', { name: 'x', role: 'owner' }]] as const) {
      const refused = await as(admin, 'POST', url, payload);
      expect(refused.statusCode).toBe(400);
      expectApiError(refused.json(), 'INVALID_REQUEST');
    }
    expect((await as(admin, 'PATCH', '/users/not-a-user', { role: 'viewer' })).statusCode).toBe(400);
  });

  it('refuses a name with characters nobody sees, which would make one actor read as another in the audit trail', async () => {
    for (const name of ['ctl\u0007name', 'ada\u202emin', 'a\u200bda']) {
      const refused = await as(admin, 'POST', '/users', { name, role: 'viewer' });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('invisible formatting') });
    }
    expect((await as(admin, 'POST', '/users', { name: '  Zoë Ångström ', role: 'viewer' })).json().user).toMatchObject({ name: 'Zoë Ångström' });
  });
});
