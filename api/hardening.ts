import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../app/config';
import { HttpError } from './errors';

/** Bodies a browser sends cross-origin without asking first (a "simple" request): an HTML form, or text. */
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The names the API answers to: loopback, the bound host and api.allowedHosts, each with or without a port. */
function allowedHosts(api: Config['api']): Set<string> {
  const bound = api.host.includes(':') ? `[${api.host}]` : api.host;
  return new Set(['localhost', '127.0.0.1', '[::1]', bound, ...api.allowedHosts].map((host) => host.toLowerCase()));
}

/**
 * The Host header checked (DNS rebinding: a page whose name now points here
 * must not be answered). The header the request came with, not Fastify's
 * host, which behind trusted proxies (api.trustProxy) is X-Forwarded-Host: a
 * rebound page may set that header on its requests.
 */
function checkHost(hosts: Set<string>) {
  return async (request: FastifyRequest) => {
    if (request.routeOptions.config.public) return; // liveness answers load balancers by address
    const host = (request.headers.host ?? '').toLowerCase();
    if (hosts.has(host) || hosts.has(host.replace(/:\d+$/, ''))) return;
    throw new HttpError(421, 'HOST_NOT_ALLOWED', `this API does not answer to the host ${host.slice(0, 100)}: add it to api.allowedHosts if it is one of its names`);
  };
}

/**
 * A state-changing request with a form or text body must carry a bearer
 * credential: a page on another origin can send those bodies without a
 * preflight, but never an Authorization header. The one cookie the API reads,
 * the browser's media credential (api/access/mediaCredential.ts), counts only
 * on GET and HEAD of the media routes, so it lets no such request through.
 */
async function refuseCrossSiteForms(request: FastifyRequest) {
  if (!STATE_CHANGING.has(request.method)) return;
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!FORM_TYPES.has(type) || /^Bearer +\S/i.test(request.headers.authorization ?? '')) return;
  throw new HttpError(403, 'CROSS_SITE_REQUEST', `a ${type} ${request.method} without Authorization: Bearer is refused (a cross-site form could send it): send the credential`);
}

const originOf = (url: string | undefined) => (url ? new URL(url).origin : '');

/**
 * Reads of media (thumbnails, players, downloads) are counted apart from the
 * API's requests, up to this many times the rate limit: a screen of the grid
 * asks for forty thumbnails, and a fast scroll through a large library for
 * hundreds a second, which the API's count would answer with 429s and
 * missing pictures (and the API's requests would then be refused too).
 */
const MEDIA_RATE_FACTOR = 10;

/**
 * What stands in front of every route: security headers (a CSP the docs page
 * works under, and that lets the web UI reach the OIDC issuer's token
 * endpoint once it is known), CORS for configured origins only, the Host check, the
 * cross-site form check, and a rate limit per principal (its media reads
 * counted apart).
 */
export async function harden(app: FastifyInstance, config: Pick<Config, 'api' | 'auth'>, tokenEndpoint: () => string | undefined): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // The docs page (swagger-ui) sets styles inline and draws icons from data: URLs.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        // Sign-in with PKCE exchanges its code at the issuer from the page itself.
        connectSrc: ["'self'", () => originOf(tokenEndpoint())],
        upgradeInsecureRequests: null,
      },
    },
  });
  if (config.api.corsOrigins.length) {
    await app.register(cors, { origin: config.api.corsOrigins, credentials: false, exposedHeaders: ['etag', 'content-range', 'accept-ranges', 'x-request-id'] });
  }
  app.addHook('onRequest', checkHost(allowedHosts(config.api)));
  app.addHook('onRequest', refuseCrossSiteForms);
  const isMedia = (request: FastifyRequest) => request.routeOptions.config.media === true;
  await app.register(rateLimit, {
    global: true,
    max: (request) => (isMedia(request) ? MEDIA_RATE_FACTOR : 1) * config.auth.rateLimitPerMinute,
    timeWindow: 60_000,
    hook: 'preHandler',
    keyGenerator: (request) => `${request.principal?.id ?? request.ip}${isMedia(request) ? ' media' : ''}`,
    errorResponseBuilder: (_, context) =>
      new HttpError(429, 'RATE_LIMITED', `more than ${context.max} requests a minute (auth.rateLimitPerMinute): retry in ${context.after}`),
  });
}
