import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { ConfigError } from '../../app/config';
import type { Lake } from '../../app/lake';
import { CollectionNotFoundError } from '../../producers/collections';
import { HttpError } from '../errors';
import { assetNotFound } from '../visibility';
import type { Principal } from '../principal';
import { authenticator } from './authentication';
import { mediaCredentialOf, type MediaCredentials } from './mediaCredential';
import { Authorizer, LIBRARY, type Resource } from './authorizer';
import type { Action } from './cedarSchema';
import { placed } from './placement';

/** What a route lets through: the action it performs, on what (the library when absent). */
export interface RouteAccess {
  action: Action;
  resource?: (request: FastifyRequest) => Resource;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Whether the principal may perform another action than the route's, on another resource (Cedar, on the shares as they stand). */
    may: (action: Action, resource: Resource) => Promise<boolean>;
    /** Which of `actions` the principal may perform on the resource: placed once, then Cedar asked once per action (what a client is told it may offer). */
    mayWhich: <A extends Action>(actions: readonly A[], resource: Resource) => Promise<A[]>;
  }
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
export const onCollection = (request: FastifyRequest): Resource => ({ type: 'Collection', id: (request.params as { id: string }).id });
export const onProjection = (request: FastifyRequest): Resource => ({ type: 'Projection', id: (request.params as { name: string }).name });
export const onAuditLog = (): Resource => ({ type: 'AuditLog', id: 'log' });

/** A resource the principal may not view: told as one that is not there. */
const outOfSight = (resource: Resource): Error => (resource.type === 'Asset' ? assetNotFound(resource.id) : new CollectionNotFoundError(resource.id));

/** Who acts where authentication is off (loopback only): the system's "anonymous", allowed everything. */
const ANONYMOUS: Principal = { id: 'anonymous', name: 'anonymous', kind: 'user', roles: ['admin'], groups: [] };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Where the swagger UI serves its page and assets. */
export const DOCS_PREFIX = '/docs';

/**
 * Counts refused credentials per address in the current minute; true past
 * `max`. The rate limit counts principals, known only once a credential is
 * accepted: without this a flood of bad credentials were never limited.
 */
function failureCount(max: number): (address: string) => boolean {
  let minute = 0;
  const counts = new Map<string, number>();
  return (address) => {
    const now = Math.floor(Date.now() / 60_000);
    if (now !== minute) {
      minute = now;
      counts.clear();
    }
    const count = (counts.get(address) ?? 0) + 1;
    counts.set(address, count);
    return count > max;
  };
}

/**
 * Authentication and authorization for every route, in one onRequest hook:
 * every route declares its action (a route without one stops start-up), the
 * principal comes from the bearer credential (or, for media bytes, the
 * browser's media credential), and Cedar decides, on the shares and
 * collections as the collections projection holds them. Denials are 403 and
 * logged with principal, action and resource; an asset or a collection the
 * principal may not even view is 404, as one that is not there
 * (api/visibility.ts tells no more either).
 */
export function accessControl(app: FastifyInstance, lake: Pick<Lake, 'principals' | 'records' | 'collections' | 'config'>, media: MediaCredentials): void {
  const { api, auth } = lake.config;
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
  app.decorateRequest('principalNow', null as unknown as () => Promise<Principal>);
  app.decorateRequest('may', null as unknown as FastifyRequest['may']);
  app.decorateRequest('mayWhich', null as unknown as FastifyRequest['mayWhich']);
  if (!auth.enabled) {
    app.addHook('onRequest', async (request) => {
      request.principal = ANONYMOUS;
      request.principalNow = async () => ANONYMOUS;
      request.may = async () => true;
      request.mayWhich = async (actions) => [...actions];
    });
    return;
  }
  const authenticate = authenticator(lake.principals, auth, media);
  const refusedTooOften = failureCount(auth.rateLimitPerMinute);
  const authorizer = new Authorizer(auth.policyFile);
  /**
   * The resource as placed (an asset in its collections), the shares as they
   * stand handed to Cedar, and Cedar's answer for any action on it (asked in
   * the same turn: the authorizer holds the shares of the last placing).
   */
  const placing = async (resource: Resource) => {
    const where = await placed(lake, resource);
    const shareable = where.type === 'Asset' || where.type === 'Collection';
    if (shareable) authorizer.useShares(await lake.collections.shares());
    return { where, shareable, allows: (principal: Principal, action: Action) => authorizer.isAllowed(principal, action, where) };
  };
  app.addHook('onRequest', async (request, reply) => {
    const { access: routeAccess, public: open } = request.routeOptions.config;
    // No route: the not-found handler answers the API's JSON 404, or the web UI's page to a browser, which must load before sign-in.
    if (open || request.is404) return;
    try {
      const credentials = [request.headers.authorization, mediaCredentialOf(request)] as const;
      request.principalNow = () => authenticate(...credentials);
      request.principal = await request.principalNow();
    } catch (error) {
      if (refusedTooOften(request.ip)) throw new HttpError(429, 'RATE_LIMITED', `more than ${auth.rateLimitPerMinute} refused credentials a minute from this address (auth.rateLimitPerMinute): wait a minute`);
      reply.header('www-authenticate', 'Bearer');
      throw error;
    }
    // A route registered before the onRoute check is refused, not let through.
    if (!routeAccess) throw new Error(`the route ${request.routeOptions.url} declares no access action`);
    request.may = async (action, resource) => (await request.mayWhich([action], resource)).length > 0;
    request.mayWhich = async (actions, resource) => {
      // Decided in the turn of the placing: the authorizer holds the shares it linked.
      const { allows } = await placing(resource);
      return actions.filter((action) => allows(request.principal, action));
    };
    const { where: resource, shareable, allows } = await placing(routeAccess.resource?.(request) ?? LIBRARY);
    if (allows(request.principal, routeAccess.action)) return;
    request.log.warn({ principal: request.principal.id, action: routeAccess.action, resource: `${resource.type}::${resource.id}` }, 'access denied');
    if (shareable && !allows(request.principal, 'view')) throw outOfSight(resource);
    throw new HttpError(403, 'FORBIDDEN', `${request.principal.name} may not ${routeAccess.action} ${resource.type} ${resource.id}: ask an admin for a role that may`);
  });
}
