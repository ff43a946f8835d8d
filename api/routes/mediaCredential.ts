import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { access } from '../access/accessControl';
import { MEDIA_COOKIE, MEDIA_COOKIE_PATH, type MediaCredentials } from '../access/mediaCredential';
import { VIEWER_PROTOCOL_HEADER } from '../viewerProtocol';

const Issued = z.object({ expires: z.iso.datetime().describe('When the cookie stops working: ask again before') });

/** The cookie's attributes: only this origin's own pages send it (SameSite=Strict), no script reads it (HttpOnly), and only to /assets; over HTTPS, never sent over anything else (Secure). */
function setCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAge: number): void {
  const https = request.protocol === 'https' || request.headers[VIEWER_PROTOCOL_HEADER] === 'https';
  const secure = https ? '; Secure' : '';
  reply.header('set-cookie', `${MEDIA_COOKIE}=${value}; Path=${MEDIA_COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`);
}

/** An OIDC caller's media credential ends with the token it was issued for, at the latest. */
function tokenExpiry(request: FastifyRequest): number {
  const token = /^Bearer +(\S+)/i.exec(request.headers.authorization ?? '')?.[1];
  return request.principal.kind === 'oidc' && token ? (decodeJwt(token).exp ?? 0) : Number.POSITIVE_INFINITY;
}

/**
 * The browser's media credential (docs/access.md, "Media in the browser"):
 * asked for with the bearer credential, answered as an HttpOnly,
 * SameSite=Strict cookie that GET and HEAD of the media routes accept.
 */
export const mediaCredentialRoutes =
  (media: MediaCredentials): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/media-credential',
      {
        config: { ...access('view'), document: { responseHeaders: { 200: { 'Set-Cookie': `${MEDIA_COOKIE}=…; Path=${MEDIA_COOKIE_PATH}; Max-Age=…; HttpOnly; SameSite=Strict` } } } },
        schema: {
          operationId: 'createMediaCredential',
          summary:
            'A cookie (HttpOnly, SameSite=Strict, Path=/assets) with which the browser fetches renditions and originals by itself ' +
            '(<img>, <video>, download links) for an hour: as the caller, whose access is decided on each request',
          response: { 200: Issued },
        },
      },
      async (request, reply) => {
        const { credential, expires, maxAge } = media.issue(request.principal, tokenExpiry(request));
        setCookie(request, reply, credential, maxAge);
        return { expires: new Date(expires * 1000).toISOString() };
      },
    );

    app.delete(
      '/media-credential',
      {
        config: { ...access('view'), document: { responseHeaders: { 204: { 'Set-Cookie': `${MEDIA_COOKIE}=; Max-Age=0: the cookie expired` } } } },
        schema: { operationId: 'deleteMediaCredential', summary: "Removes the browser's media cookie (on signing out)", response: { 204: z.undefined().describe('Removed: Set-Cookie expires it (No Content)') } },
      },
      async (request, reply) => {
        setCookie(request, reply, '', 0);
        return reply.status(204).send();
      },
    );
  };
