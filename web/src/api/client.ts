import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { authorization, signInAgain } from './credential';

/** What the API answers when it refuses: `{ error: { code, message } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** Every request carries the credential; any 401 sends the user back to sign-in. */
const credentials: Middleware = {
  onRequest({ request }) {
    for (const [name, value] of Object.entries(authorization())) request.headers.set(name, value);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) signInAgain();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(credentials);

/** The answer's body, or an ApiError with the API's code and sentence. */
export async function answer<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const body = error as Partial<ApiErrorBody> | undefined;
    throw new ApiError(response.status, body?.error?.code ?? 'HTTP_ERROR', body?.error?.message ?? `the API answered ${response.status}`, error);
  }
  return data as T;
}
