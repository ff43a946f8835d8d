import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { variablesConfigReads } from '../support/configVariables';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
  entrypoint?: string;
}

const text = readFileSync(fileURLToPath(new URL('../../docker-compose.yml', import.meta.url)), 'utf8');
const compose = parse(text, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };

describe('docker-compose.yml: the whole lake on one host', () => {
  const { services } = compose;

  it('runs the api and the worker from the repository\'s image, each serving with a data volume of its own', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name], name).toMatchObject({ build: '.', image: 'medialake:local', command: ['serve'] });
      const [volume] = services[name]!.volumes!;
      expect(volume).toBe(`${name}-data:/data`);
      expect(compose.volumes).toHaveProperty(`${name}-data`);
    }
    expect(services.api!.ports).toEqual(['8080:8080']);
    expect(services.worker!.ports).toBeUndefined();
  });

  it('sets only MEDIALAKE_* variables the configuration reads, here and in the commands it shows', () => {
    const read = variablesConfigReads();
    const set = Object.values(services).flatMap((service) => Object.keys(service.environment ?? {}));
    const shown = [...text.matchAll(/\b(MEDIALAKE_[A-Z0-9_]+)=/g)].map((match) => match[1]!).filter((name) => !name.startsWith('MEDIALAKE_TEST_'));
    const names = [...new Set([...set, ...shown])].filter((name) => name.startsWith('MEDIALAKE_'));
    expect(names.length).toBeGreaterThan(12);
    expect(names.filter((name) => !read.has(name))).toEqual([]);
  });

  it('points the lake at the engines it starts: Kafka, Redis, S3 (MinIO), DynamoDB local and OpenSearch', () => {
    const environment = services.api!.environment!;
    expect(environment).toMatchObject({
      MEDIALAKE_LOG_BACKEND: 'kafka',
      MEDIALAKE_STORAGE_BACKEND: 's3',
      MEDIALAKE_RECORDS_BACKEND: 'dynamodb',
      MEDIALAKE_SEARCH_BACKEND: 'opensearch',
    });
    const hosts = ['MEDIALAKE_KAFKA_BROKERS', 'MEDIALAKE_REDIS_URL', 'MEDIALAKE_S3_ENDPOINT', 'MEDIALAKE_DYNAMODB_ENDPOINT', 'MEDIALAKE_OPENSEARCH_NODE'].map((name) => String(environment[name]).replace(/^\w+:\/\//, '').split(':')[0]);
    expect(hosts).toEqual(['kafka', 'redis', 'minio', 'dynamodb', 'opensearch']);
    for (const host of hosts) expect(services, host).toHaveProperty(host!);
    // The lake's bucket is made by the one-shot service it waits for.
    expect(services['minio-buckets']!.entrypoint ?? '').toContain(`lake/${environment.MEDIALAKE_S3_BUCKET}`);
    expect(services.api!.depends_on!['minio-buckets']).toEqual({ condition: 'service_completed_successfully' });
  });

  it('waits for every engine that has a health check to be healthy, and every service it waits on exists', () => {
    for (const [dependency, { condition }] of Object.entries(services.api!.depends_on!)) {
      expect(services, dependency).toHaveProperty(dependency);
      if (services[dependency]!.healthcheck) expect(condition, dependency).toBe('service_healthy');
    }
    expect(['kafka', 'redis', 'minio', 'opensearch'].filter((name) => !services[name]!.healthcheck)).toEqual([]);
  });

  it('takes the chain key from .env, failing with a sentence when it is missing', () => {
    expect(services.api!.environment!.MEDIALAKE_CHAIN_KEY).toMatch(/^\$\{MEDIALAKE_CHAIN_KEY:\?set MEDIALAKE_CHAIN_KEY in \.env/);
  });
});
