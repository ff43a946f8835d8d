import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

/** The person the stand-in signs in, without a form: Cognito's claims for a member of the group `admin`. */
export const OIDC_TEST_USER = { sub: 'sub-olivia', username: 'olivia', groups: ['admin'] };

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce?: string;
}

/** What the stand-in saw, for the tests to assert on. */
export interface IssuerRecord {
  /** Token requests refused, with the reason (a wrong or missing code_verifier among them). */
  refused: string[];
  tokensIssued: number;
  logouts: number;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

/**
 * A local OIDC issuer shaped like an Amazon Cognito user pool with its hosted
 * sign-in: discovery, JWKS, an authorize endpoint that signs the fixed test
 * user in at once (no login form) and redirects back with a code, a token
 * endpoint that checks the code's PKCE verifier (S256) before it returns an
 * access token and an id token signed with its key, and a logout endpoint.
 * It stands in for Cognito, which cannot run here; the UI and the API talk to
 * it over HTTP exactly as they would to Cognito.
 */
export async function startOidcIssuer(clientId: string): Promise<{ issuer: string; record: IssuerRecord; close(): Promise<void> }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'stand-in', alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const record: IssuerRecord = { refused: [], tokensIssued: 0, logouts: 0 };
  let issuer = '';

  const sign = (claims: JWTPayload) =>
    new SignJWT({ username: OIDC_TEST_USER.username, 'cognito:groups': OIDC_TEST_USER.groups, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .setIssuer(issuer)
      .setSubject(OIDC_TEST_USER.sub)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);

  function authorize(url: URL, response: ServerResponse): void {
    const query = url.searchParams;
    const redirectUri = query.get('redirect_uri') ?? '';
    if (query.get('response_type') !== 'code' || query.get('client_id') !== clientId || query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
      return json(response, 400, { error: 'invalid_request', error_description: 'authorization code with PKCE (S256) for the known client only' });
    }
    const code = randomBytes(16).toString('hex');
    grants.set(code, { clientId, redirectUri, challenge: query.get('code_challenge')!, nonce: query.get('nonce') ?? undefined });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    if (query.get('state')) back.searchParams.set('state', query.get('state')!);
    response.writeHead(302, { location: back.href }).end();
  }


  async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = await formOf(request);
    const grant = grants.get(form.get('code') ?? '');
    grants.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const reason = !grant
      ? 'unknown or used code'
      : form.get('grant_type') !== 'authorization_code' || form.get('client_id') !== grant.clientId || form.get('redirect_uri') !== grant.redirectUri
        ? 'grant type, client or redirect_uri differ'
        : createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
          ? 'the code_verifier does not match the code_challenge'
          : undefined;
    if (reason) {
      record.refused.push(reason);
      return json(response, 400, { error: 'invalid_grant', error_description: reason });
    }
    record.tokensIssued += 1;
    const [accessToken, idToken] = await Promise.all([
      sign({ token_use: 'access', client_id: clientId, scope: 'openid email profile' }),
      sign({ token_use: 'id', aud: clientId, ...(grant!.nonce && { nonce: grant!.nonce }) }),
    ]);
    json(response, 200, { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: 3600 });
  }

  function logout(url: URL, response: ServerResponse): void {
    record.logouts += 1;
    const back = url.searchParams.get('logout_uri') ?? url.searchParams.get('post_logout_redirect_uri');
    if (!back) return json(response, 400, { error: 'invalid_request', error_description: 'logout_uri is required' });
    response.writeHead(302, { location: back }).end();
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    if (request.method === 'OPTIONS') {
      return response.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'POST' }).end();
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(response, 200, {
        issuer,
        authorization_endpoint: `${issuer}/oauth2/authorize`,
        token_endpoint: `${issuer}/oauth2/token`,
        end_session_endpoint: `${issuer}/logout`,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/.well-known/jwks.json') return json(response, 200, { keys: [jwk] });
    if (url.pathname === '/oauth2/authorize') return authorize(url, response);
    if (url.pathname === '/oauth2/token' && request.method === 'POST') return void token(request, response);
    if (url.pathname === '/logout') return logout(url, response);
    json(response, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, record, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
