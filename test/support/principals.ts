import type { Lake } from '../../app/lake';
import { buildServer } from '../../api/server';
import { catchUp } from '../../projections/projection';
import { addUser } from '../../producers/principals';
import type { Role } from '../../schemas/principals';

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

