import type { Lake } from '../../app/lake';
import { buildServer } from '../../api/server';
import { catchUp } from '../../projections/projection';
import { addUser } from '../../producers/principals';
import type { Role } from '../../schemas/principals';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Principal } from '../../api/principal';

/** Adds a local user (as the CLI would) and waits until the lake knows them; their API key. */
export async function addTestUser(lake: Lake, name: string, role: Role, groups: string[] = []): Promise<string> {
  await catchUp(lake.log, lake.principals, lake.logger);
  const { apiKey } = await addUser({ log: lake.log, actor: 'tester', source: 'cli' }, lake.principals, { name, role, groups });
  await catchUp(lake.log, lake.principals, lake.logger);
  return apiKey;
}

export const bearer = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });

/** fetch that sends the API key unless the call gives its own Authorization. */
export function fetchAs(apiKey: string): typeof fetch {
  return (input, init = {}) => fetch(input, { ...init, headers: { ...bearer(apiKey), ...(init.headers as Record<string, string> | undefined) } });
}

type App = Awaited<ReturnType<typeof buildServer>>;

/**
 * The lake's API as an admin named "admin" sees it: its inject sends the
 * admin's key unless a call gives its own Authorization, and `fetch` does the
 * same over the network. Authentication stays on: the tests call it as a
 * signed-in client would.
 */
export async function adminApi(lake: Lake): Promise<{ app: App; apiKey: string; fetch: typeof fetch }> {
  const apiKey = await addTestUser(lake, 'admin', 'admin');
  const app = await buildServer(lake);
  const inject = app.inject.bind(app);
  const withKey = (options: string | Record<string, unknown>) => {
    const request = typeof options === 'string' ? { url: options } : options;
    return { ...request, headers: { ...bearer(apiKey), ...(request.headers as Record<string, string> | undefined) } };
  };
  Object.assign(app, { inject: (options: string | Record<string, unknown>) => inject(withKey(options) as never) });
  return { app, apiKey, fetch: fetchAs(apiKey) };
}

/**
 * Who a test's request comes from. Authentication is built apart from this
 * code and sets `request.principal` on every request; until it is here, the
 * tests set it themselves through this one seam, a hook that lives in test/
 * only: `as(app, BOB)` is an inject that Bob sends. Switching the tests to
 * real credentials changes this file alone.
 */
export const ADMIN: Principal = { id: 'user:ada', name: 'Ada', kind: 'user', roles: ['admin'], groups: [] };
export const EDITOR: Principal = { id: 'user:eve', name: 'Eve', kind: 'user', roles: ['editor'], groups: [] };
export const BOB: Principal = { id: 'user:bob', name: 'Bob', kind: 'user', roles: ['viewer'], groups: ['darkroom'] };
export const CAROL: Principal = { id: 'user:carol', name: 'Carol', kind: 'user', roles: ['viewer'], groups: [] };

const HEADER = 'x-test-principal';
const PRINCIPALS = new Map([ADMIN, EDITOR, BOB, CAROL].map((principal) => [principal.id, principal]));

/** Lets the tests' requests name their principal; call once, right after buildServer. */
export function acceptTestPrincipals(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const id = request.headers[HEADER];
    const principal = typeof id === 'string' ? PRINCIPALS.get(id) : undefined;
    if (principal) request.principal = principal;
  });
}

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Record<string, unknown>;
}

/** A request as `principal` sends it. */
export async function as(app: FastifyInstance, principal: Principal, options: InjectOptions | string): Promise<Answer> {
  const request = typeof options === 'string' ? { method: 'GET' as const, url: options } : options;
  const response = await app.inject({ ...request, headers: { ...request.headers, [HEADER]: principal.id } });
  const json = response.headers['content-type']?.toString().includes('json');
  return { status: response.statusCode, body: json ? response.json() : response.body, headers: response.headers };
}
