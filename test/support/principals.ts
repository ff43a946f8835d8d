import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Principal } from '../../api/principal';

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
