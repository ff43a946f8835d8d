import type { Config } from './config';

/**
 * Secrets Manager as a Lambda function reads it: through the AWS Parameters
 * and Secrets Lambda extension (a layer infra/notificationsFunction.ts adds),
 * which answers on localhost, caches, and signs with the function's role.
 * The lake needs no Secrets Manager client for it, and the secret never sits
 * in the function's configuration.
 */
export async function readSecretOnLambda(secretId: string, environment: NodeJS.ProcessEnv = process.env): Promise<string> {
  const port = environment.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`;
  // The extension answers only callers that show the function's session token.
  const response = await fetch(url, { headers: { 'X-Aws-Parameters-Secrets-Token': environment.AWS_SESSION_TOKEN ?? '' } }).catch((error: Error) => {
    throw new Error(`the secret ${secretId} cannot be read: the Parameters and Secrets extension does not answer at ${url} (${error.message}); it runs on AWS Lambda only`);
  });
  if (!response.ok) throw new Error(`the secret ${secretId} cannot be read: the Parameters and Secrets extension answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const { SecretString } = (await response.json()) as { SecretString?: string };
  if (!SecretString) throw new Error(`the secret ${secretId} has no text value`);
  return SecretString;
}

/** The configuration with the chain key read from chain.keySecret, where it names one and no key is given. */
export async function withChainKeyFromSecret(config: Config, read = readSecretOnLambda): Promise<Config> {
  const { key, keySecret } = config.chain;
  if (key || !keySecret) return config;
  return { ...config, chain: { ...config.chain, key: await read(keySecret) } };
}
