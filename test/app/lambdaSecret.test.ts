import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChainKeys } from '../../app/backends';
import { loadConfig } from '../../app/config';
import { readSecretOnLambda, withChainKeyFromSecret } from '../../app/lambdaSecret';
import { freePorts } from '../engines/freePorts';

const KEYRING = 'b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleS1vbGQ=,bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleS1uZXc=';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:medialake-chain-key-AbCdEf';

/**
 * The chain key on Lambda. The AWS Parameters and Secrets extension is a
 * Lambda layer that runs nowhere else, so a local HTTP server answers as it
 * does (GET /secretsmanager/get?secretId=…, the session token in
 * X-Aws-Parameters-Secrets-Token, GetSecretValue's JSON back).
 */
describe('the chain key from Secrets Manager on Lambda (app/lambdaSecret.ts)', () => {
  let extension: Server;
  let environment: NodeJS.ProcessEnv;
  const asked: IncomingMessage[] = [];
  beforeAll(async () => {
    extension = createServer((request, response) => {
      asked.push(request);
      const secretId = new URL(request.url!, 'http://localhost').searchParams.get('secretId');
      if (request.headers['x-aws-parameters-secrets-token'] !== 'session-token') return void response.writeHead(401).end('not authorized');
      if (secretId !== SECRET) return void response.writeHead(400).end('ResourceNotFoundException: Secrets Manager can\'t find the specified secret.');
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ARN: SECRET, Name: 'medialake-chain-key', SecretString: KEYRING }));
    });
    await new Promise<void>((resolve) => extension.listen(0, '127.0.0.1', resolve));
    environment = { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String((extension.address() as AddressInfo).port), AWS_SESSION_TOKEN: 'session-token' };
  });
  afterAll(() => new Promise<void>((resolve) => extension.close(() => resolve())));

  it('reads the keyring through the extension, showing the function\'s session token', async () => {
    expect(await readSecretOnLambda(SECRET, environment)).toBe(KEYRING);
    expect(asked.at(-1)!.url).toBe(`/secretsmanager/get?secretId=${encodeURIComponent(SECRET)}`);
  });

  it('gives the configuration the key from the secret MEDIALAKE_CHAIN_KEY_SECRET names, and leaves a given key alone', async () => {
    const config = loadConfig({}, { MEDIALAKE_CHAIN_KEY_SECRET: SECRET });
    const read = (id: string) => readSecretOnLambda(id, environment);
    expect((await withChainKeyFromSecret(config, read)).chain).toMatchObject({ key: KEYRING, keySecret: SECRET });
    const given = loadConfig({}, { MEDIALAKE_CHAIN_KEY_SECRET: SECRET, MEDIALAKE_CHAIN_KEY: 'Z2l2ZW4ta2V5LWdpdmVuLWtleS1naXZlbi1rZXktZ2l2ZW4=' });
    const before = asked.length;
    expect(await withChainKeyFromSecret(given, read)).toBe(given);
    expect(asked).toHaveLength(before);
  });

  it('says which secret failed and why: unknown to Secrets Manager, or no extension to ask', async () => {
    await expect(readSecretOnLambda('medialake-missing', environment)).rejects.toThrow(/the secret medialake-missing cannot be read: the Parameters and Secrets extension answered 400: ResourceNotFoundException/);
    const [closed] = await freePorts(1);
    await expect(readSecretOnLambda(SECRET, { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(closed) })).rejects.toThrow(/does not answer at .*; it runs on AWS Lambda only/);
  });

  it('refuses to sign with a key of the data directory where the secret was not read', () => {
    const config = loadConfig({}, { MEDIALAKE_CHAIN_KEY_SECRET: SECRET });
    expect(() => openChainKeys(config, '/nonexistent')).toThrow(/chain.keySecret .* is read on AWS Lambda only/);
  });
});
