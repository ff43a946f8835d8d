import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import type { StoredEvent } from '../../schemas/envelope';
import { GroupName, KEY_ID, NewUserName, Role, USER_ID } from '../../schemas/principals';
import type { UserEntry } from '../../projections/principals/principalDirectory';
import { addUser, changeUser, createKeyFor, disableUser, PrincipalError, revokeApiKey } from '../../producers/principals';
import { access } from '../access/accessControl';
import { LIBRARY } from '../access/authorizer';
import type { Action } from '../access/cedarSchema';
import { appliedBy } from '../readYourWrites';
import { errorResponse } from '../errors';
import { commandContext } from './assets';

const Groups = z.array(GroupName).max(50);

/** A user as admins see them: never a key's secret or its digest. */
const User = z.object({
  userId: z.string(),
  name: z.string(),
  role: Role,
  groups: z.array(z.string()),
  disabled: z.boolean(),
  createdAt: z.string(),
  keys: z.array(z.object({ keyId: z.string(), revoked: z.boolean(), createdAt: z.string() })),
});
const UserParams = z.object({ userId: z.string().regex(USER_ID, 'a user id: user- and 16 hex digits') });
const CreatedKey = z.object({ keyId: z.string(), apiKey: z.string().describe('The API key itself: shown this once, kept by the lake only as a hash') });
/** Taking the role of the last enabled admin away is refused. */
const LAST_ADMIN = errorResponse('The user is the last enabled admin (LAST_ADMIN): make another user admin first');
/** What may be done to the whole library, beside viewing it: a client offers only what the caller may do (each route still decides when asked). */
const LIBRARY_ACTIONS = ['upload', 'manageCollections', 'managePipelines', 'manageUsers', 'readAudit', 'reprocess', 'rebuildProjections'] as const satisfies readonly Action[];

const Me = z.object({
  name: z.string(),
  kind: z.enum(['user', 'key', 'oidc']),
  roles: z.array(Role),
  groups: z.array(z.string()),
  may: z.array(z.enum(LIBRARY_ACTIONS)).describe("what the caller may do to the whole library now (a collection's own actions are in its `may`)"),
  semanticSearch: z.boolean().describe('whether the lake has an embedding model: similar assets, semantic and hybrid search (else they answer 409 EMBEDDINGS_DISABLED)'),
});

const shown = (user: UserEntry): z.infer<typeof User> => ({
  userId: user.userId,
  name: user.name,
  role: user.role,
  groups: user.groups,
  disabled: user.disabled,
  createdAt: user.createdAt,
  keys: Object.entries(user.keys).map(([keyId, key]) => ({ keyId, revoked: key.revoked, createdAt: key.createdAt })),
});

/**
 * The embedded identity store for admins (docs/access.md): the users, their
 * roles and groups, and their API keys, on the producers `medialake users`
 * and `keys` use, so each change is an event with the admin as its actor. A
 * key is answered once, when it is made. Every write answers once the
 * principals projection holds it: the next request, and authentication,
 * see it.
 */
export const userRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    const directory = lake.principals;
    const applied = (event: StoredEvent) => appliedBy([directory], event, lake.config.api.requestTimeoutMs, lake.metrics);
    const context = (request: FastifyRequest) => commandContext(lake, request);

    async function userWithId(userId: string): Promise<UserEntry> {
      const user = (await directory.users()).find((candidate) => candidate.userId === userId);
      if (!user) throw new PrincipalError('USER_NOT_FOUND', `there is no user ${userId}: GET /users lists them`);
      return user;
    }

    app.get('/me', { config: access('view'), schema: { operationId: 'getMe', summary: 'Who the caller is: name, roles, groups and what they may do, and whether semantic search is there (what the web UI shows and offers)', response: { 200: Me } } }, async (request) => {
      const { name, kind, roles, groups } = request.principal;
      return { name, kind, roles: [...roles], groups: [...groups], may: await request.mayWhich(LIBRARY_ACTIONS, LIBRARY), semanticSearch: lake.embedder !== undefined };
    });

    app.get('/users', { config: access('manageUsers'), schema: { operationId: 'listUsers', summary: 'The local users, with their keys (ids only)', response: { 200: z.object({ users: z.array(User) }) } } }, async () => ({
      users: (await directory.users()).map(shown),
    }));

    app.post(
      '/users',
      {
        config: access('manageUsers'),
        schema: {
          operationId: 'createUser',
          summary: 'Add a local user with a role and a first API key (answered this once)',
          body: z.object({ name: NewUserName, role: Role, groups: Groups.default([]) }),
          response: { 201: CreatedKey.extend({ user: User }), 409: errorResponse('There is a user of that name already (USER_EXISTS)') },
        },
      },
      async (request, reply) => {
        const { userId, keyId, apiKey, event } = await addUser(context(request), directory, request.body);
        await applied(event);
        return reply.status(201).send({ keyId, apiKey, user: shown(await userWithId(userId)) });
      },
    );

    app.patch(
      '/users/:userId',
      {
        config: access('manageUsers'),
        schema: {
          operationId: 'updateUser',
          summary: "Change a user's role, groups or both: from their next request on",
          params: UserParams,
          body: z.object({ role: Role.optional(), groups: Groups.optional() }).refine((change) => change.role || change.groups, 'give role, groups or both'),
          response: { 200: User, 409: LAST_ADMIN },
        },
      },
      async (request) => {
        const user = await userWithId(request.params.userId);
        await applied(await changeUser(context(request), directory, user.userId, request.body));
        return shown(await userWithId(user.userId));
      },
    );

    app.post(
      '/users/:userId/disable',
      { config: access('manageUsers'), schema: { operationId: 'disableUser', summary: 'Disable a user: their keys stop working at once; their history stays', params: UserParams, response: { 200: User, 409: LAST_ADMIN } } },
      async (request) => {
        const user = await userWithId(request.params.userId);
        await applied(await disableUser(context(request), directory, user.userId));
        return shown(await userWithId(user.userId));
      },
    );

    app.post(
      '/users/:userId/keys',
      { config: access('manageUsers'), schema: { operationId: 'createApiKey', summary: 'A new API key for the user (answered this once)', params: UserParams, response: { 201: CreatedKey } } },
      async (request, reply) => {
        const user = await userWithId(request.params.userId);
        const { keyId, apiKey, event } = await createKeyFor(context(request), directory, user.userId);
        await applied(event);
        return reply.status(201).send({ keyId, apiKey });
      },
    );

    app.delete(
      '/keys/:keyId',
      {
        config: access('manageUsers'),
        schema: { operationId: 'revokeApiKey', summary: 'Revoke an API key: requests with it are refused from now on', params: z.object({ keyId: z.string().regex(KEY_ID, 'a key id: 12 hex digits') }), response: { 204: z.undefined().describe('Revoked (No Content)') } },
      },
      async (request, reply) => {
        await applied(await revokeApiKey(context(request), directory, request.params.keyId));
        return reply.status(204).send();
      },
    );
  };
