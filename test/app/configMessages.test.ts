import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config';
import { temporaryDirectory } from '../support/fixtures';

const refusal = (environment: NodeJS.ProcessEnv) => {
  try {
    loadConfig({}, environment);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(environment)} was taken`);
};

describe('a variable the configuration cannot take is named, with what it takes', () => {
  it.each([
    ['MEDIALAKE_CORS_ORIGINS', 'https://a.example', 'api.corsOrigins: expected a JSON array, like ["https://app.example"]'],
    ['MEDIALAKE_ALLOWED_HOSTS', 'media.example.com', 'api.allowedHosts: expected a JSON array, like ["media.example.com"]'],
    ['MEDIALAKE_S3_SOURCES', '{"bucket":"camera-uploads"}', 'sources.s3: expected a JSON array, like [{"bucket":"camera-uploads","suffixes":[".jpg"]}]'],
    ['MEDIALAKE_OIDC_SCOPES', '["openid"', 'auth.oidc.scopes: expected a comma-separated list or a JSON array of text'],
    ['MEDIALAKE_AUTH', 'maybe', 'auth.enabled: expected true or false (or 1/0, yes/no, on/off)'],
    ['MEDIALAKE_REDIS_CLUSTER', 'sure', 'redis.cluster: expected true or false (or 1/0, yes/no, on/off)'],
    ['MEDIALAKE_LOG_BACKEND', 'mysql', 'log.backend: expected one of sqlite, kafka or kinesis'],
    ['MEDIALAKE_PIPELINE_SECRETS', 'vault', 'pipelines.secrets: expected one of file, environment or secrets-manager'],
    ['MEDIALAKE_TRUST_PROXY', '2', 'api.trustProxy: expected true, false, or the IP addresses and CIDRs of the proxies in front (also loopback, linklocal, uniquelocal), not a number of them'],
    ['MEDIALAKE_TRUST_PROXY', '10.0.0.300', 'api.trustProxy: expected true, false, or the IP addresses and CIDRs of the proxies in front (also loopback, linklocal, uniquelocal), not a number of them'],
  ])('%s=%s', (name, value, message) => {
    expect(refusal({ [name]: value })).toBe(`invalid configuration at ${message} (from ${name}=${value})`);
  });

  it('says the same of a value from the config file, naming the file instead', () => {
    const directory = temporaryDirectory('medialake-config-');
    const file = join(directory.path, 'medialake.config.json');
    writeFileSync(file, JSON.stringify({ api: { corsOrigins: 'https://a.example' } }));
    expect(refusal({ MEDIALAKE_CONFIG: file })).toBe(`invalid configuration at api.corsOrigins: expected a JSON array, like ["https://app.example"] (in ${file})`);
    directory.remove();
  });
});

describe('api.trustProxy', () => {
  it.each([
    [undefined, false],
    ['true', true],
    ['false', false],
    ['10.0.0.0/16, 130.176.0.0/16', ['10.0.0.0/16', '130.176.0.0/16']],
    ['["10.0.0.5","::1"]', ['10.0.0.5', '::1']],
    ['loopback', ['loopback']],
  ])('MEDIALAKE_TRUST_PROXY=%s gives %j', (value, trustProxy) => {
    expect(loadConfig({}, value === undefined ? {} : { MEDIALAKE_TRUST_PROXY: value }).api.trustProxy).toEqual(trustProxy);
  });

  it('takes a list from the config file', () => {
    expect(loadConfig({ 'api.trustProxy': ['10.0.0.0/16'] }, {}).api.trustProxy).toEqual(['10.0.0.0/16']);
  });
});
