import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretNotFoundError, type SecretStore } from './secretStore';

export interface SecretsManagerOptions {
  /** Put before a definition's secret name: the secret `partner-key` is `PREFIXpartner-key` in Secrets Manager. */
  prefix: string;
  region?: string;
  /** A Secrets Manager-compatible endpoint (moto, LocalStack); AWS when absent. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * AWS Secrets Manager, where the lake runs on AWS: a definition names a
 * secret, and the node reads its current value (AWSCURRENT) when it runs, so
 * a rotation needs no restart. Only the prefix is the lake's: an IAM policy on
 * `PREFIX*` keeps the lake's role from reading other secrets.
 */
export class SecretsManagerSecrets implements SecretStore {
  private readonly client: SecretsManagerClient;

  constructor(private readonly options: SecretsManagerOptions) {
    const { region, endpoint, credentials } = options;
    this.client = new SecretsManagerClient({ ...(region && { region }), ...(endpoint && { endpoint }), ...(credentials && { credentials }) });
  }

  async get(name: string): Promise<string> {
    const secretId = `${this.options.prefix}${name}`;
    try {
      const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (SecretString === undefined) throw new SecretNotFoundError(name, `Secrets Manager (${secretId} holds binary data, not a string)`);
      return SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) throw new SecretNotFoundError(name, `Secrets Manager (${secretId})`);
      throw error;
    }
  }

  close(): void {
    this.client.destroy();
  }
}
