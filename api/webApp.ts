import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors';

/** Where `vite build web` writes the web UI (web/vite.config.ts). */
export const WEB_BUILD = fileURLToPath(new URL('../web/dist', import.meta.url));
/** Vite's hashed bundles, under a prefix of their own: /assets is the API's. */
const HASHED_PREFIX = '/static/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Whether a request that matched no route is a browser navigating to one of
 * the UI's own routes (it asks for HTML, by GET or HEAD, outside every API
 * path), so that it gets the UI, which routes it; everything else keeps the
 * API's JSON 404.
 */
function isNavigation(request: FastifyRequest, apiPrefixes: ReadonlySet<string>): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!request.headers.accept?.includes('text/html')) return false;
  const [, first = ''] = request.url.split(/[/?#]/, 2);
  return !apiPrefixes.has(first);
}

/**
 * The web UI, at /: index.html (never cached, so a new build shows at once),
 * the hashed bundles under /static/ (cached for a year: their names change
 * with their content), and index.html again for any other navigation, the
 * UI's own routes (/asset/…, /find?q=…). Call it before the API's routes are
 * registered: it learns their first path segments as they come, and leaves
 * those to the API.
 */
export async function registerWebApp(
  app: FastifyInstance,
  notFound: (request: FastifyRequest, reply: FastifyReply) => unknown,
  root = WEB_BUILD,
): Promise<void> {
  const apiPrefixes = new Set<string>();
  app.addHook('onRoute', (route) => {
    const [, first = ''] = route.url.split('/', 2);
    // The bundles load before anyone signs in: the sign-in page is one of them.
    if (route.url.startsWith(HASHED_PREFIX)) route.config = { ...route.config, public: true };
    else apiPrefixes.add(first);
  });
  const built = existsSync(join(root, 'index.html'));
  const index = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (!built) throw new HttpError(503, 'WEB_UI_NOT_BUILT', `the web UI is not built in ${root}: run npx vite build web, then restart serve`);
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html', root);
  };
  const hashed = join(root, HASHED_PREFIX);
  await app.register(fastifyStatic, {
    root: hashed,
    prefix: HASHED_PREFIX,
    cacheControl: false,
    // index.html goes through the same sender: only the hashed bundles are immutable.
    setHeaders: (reply, path) => (path.startsWith(hashed) ? reply.header('cache-control', IMMUTABLE) : reply),
  });
  app.get('/', { config: { public: true }, schema: { hide: true } }, index);
  app.setNotFoundHandler((request, reply) => (isNavigation(request, apiPrefixes) ? index(request, reply) : notFound(request, reply)));
}
