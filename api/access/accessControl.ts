import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { ConfigError, type Config } from '../../app/config';
import type { PrincipalDirectory } from '../../projections/principals/principalDirectory';
import { HttpError } from '../errors';
import type { Principal } from '../principal';
import { authenticator } from './authentication';
import { mediaCredentialOf, type MediaCredentials } from './mediaCredential';
import { Authorizer, LIBRARY, type Resource } from './authorizer';
import type { Action } from './cedarSchema';

/** What a route lets through: the action it performs, on what (the library when absent). */
export interface RouteAccess {
  action: Action;
  resource?: (request: FastifyRequest) => Resource;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Answered without authentication: liveness only (and the API docs where api.publicDocs is set). */
    public?: boolean;
    /** Serves media bytes: a GET or HEAD may authenticate with the browser's media credential instead of a bearer. */
    media?: boolean;
  }
}

/** A route's `config`: the action it asks the authorizer about. */
export const access = (action: Action, resource?: RouteAccess['resource']): FastifyContextConfig => ({ access: { action, ...(resource && { resource }) } });

export const onAsset = (request: FastifyRequest): Resource => ({ type: 'Asset', id: (request.params as { id: string }).id });
export const onProjection = (request: FastifyRequest): Resource => ({ type: 'Projection', id: (request.params as { name: string }).name });
export const onAuditLog = (): Resource => ({ type: 'AuditLog', id: 'log' });

/** Who acts where authentication is off (loopback only): the system's "anonymous", allowed everything. */
const ANONYMOUS: Principal = { id: 'anonymous', name: 'anonymous', kind: 'user', roles: ['admin'], groups: [] };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Where the swagger UI serves its page and assets. */
export const DOCS_PREFIX = '/docs';

/**
 * Authentication and authorization for every route, in one onRequest hook:
 * every route declares its action (a route without one stops start-up), the
 * principal comes from the bearer credential (or, for media bytes, the
 * browser's media credential), and Cedar decides. Denials are
 * 403 and logged with principal, action and resource.
 */
export function accessControl(app: FastifyInstance, principals: PrincipalDirectory, config: Pick<Config, 'api' | 'auth'>, media: MediaCredentials): void {
  const { api, auth } = config;
  if (!auth.enabled && !LOOPBACK.has(api.host)) {
    throw new ConfigError(`authentication is off (auth.enabled=false) and the API would listen on ${api.host}: turn it on, or listen on 127.0.0.1`);
  }
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(DOCS_PREFIX)) route.config = { ...route.config, ...(api.publicDocs ? { public: true } : access('view')) };
    if (!route.config?.access && !route.config?.public) {
      throw new Error(`the route ${String(route.method)} ${route.url} declares no access action: give it config: access(ACTION), or public`);
    }
  });
  app.decorateRequest('principal', null as unknown as Principal);
  if (!auth.enabled) {
    app.addHook('onRequest', async (request) => void (request.principal = ANONYMOUS));
    return;
  }
  const authenticate = authenticator(principals, auth, media);
  const authorizer = new Authorizer(auth.policyFile);
  app.addHook('onRequest', async (request, reply) => {
    const { access: routeAccess, public: open } = request.routeOptions.config;
    if (open) return;
    try {
      request.principal = await authenticate(request.headers.authorization, mediaCredentialOf(request));
    } catch (error) {
      reply.header('www-authenticate', 'Bearer');
      throw error;
    }
    if (!routeAccess) return; // no such route: 404, to an authenticated caller only
    const resource = routeAccess.resource?.(request) ?? LIBRARY;
    if (authorizer.isAllowed(request.principal, routeAccess.action, resource)) return;
    request.log.warn({ principal: request.principal.id, action: routeAccess.action, resource: `${resource.type}::${resource.id}` }, 'access denied');
    throw new HttpError(403, 'FORBIDDEN', `${request.principal.name} may not ${routeAccess.action} ${resource.type} ${resource.id}: ask an admin for a role that may`);
  });
}
