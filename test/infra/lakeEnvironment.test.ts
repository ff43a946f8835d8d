import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config';
import { lakeEnvironment, serviceEnvironment, type LakeResources } from '../../infra/lakeEnvironment';

const RESOURCES: LakeResources = {
  region: 'eu-west-1',
  mediaBucket: 'medialake-media-1a2b',
  rawBucket: 'medialake-raw-3c4d',
  queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/medialake-notifications',
  assetTable: 'medialake-assets',
  openSearchNode: 'https://vpc-medialake-abc.eu-west-1.es.amazonaws.com',
  redisUrl: 'rediss://clustercfg.medialake-coordination.abc.memorydb.eu-west-1.amazonaws.com:6379',
  log: { backend: 'kinesis', stream: 'medialake-events' },
  pipelineSecretsPrefix: 'medialake/pipelines/',
};

/** What the lake makes of a deployed task's environment: every backend on AWS, nothing left at a local default. */
describe('the environment infra/ gives the lake (infra/lakeEnvironment.ts)', () => {
  it('selects every scale-out backend at the deployed resources, and no setting still points at this machine', () => {
    const config = loadConfig({}, { ...lakeEnvironment(RESOURCES), ...serviceEnvironment(8080), MEDIALAKE_CHAIN_KEY: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC1zZWNyZXQ=' });
    expect(config.log).toMatchObject({ backend: 'kinesis', kinesis: { stream: 'medialake-events' } });
    expect(config.redis).toMatchObject({ url: RESOURCES.redisUrl, cluster: true });
    expect(config.aws.region).toBe('eu-west-1');
    expect(config.storage).toMatchObject({ backend: 's3', s3: { bucket: RESOURCES.mediaBucket } });
    expect(config.sources).toMatchObject({ s3: [{ bucket: RESOURCES.rawBucket }], sqsQueueUrl: RESOURCES.queueUrl });
    expect(config.records).toMatchObject({ backend: 'dynamodb', dynamodb: { table: 'medialake-assets', createTable: false } });
    expect(config.search).toMatchObject({ backend: 'opensearch', opensearch: { node: RESOURCES.openSearchNode, sigv4: true } });
    expect(config.api).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(config.pipelines).toMatchObject({ secrets: 'secrets-manager', secretsPrefix: 'medialake/pipelines/' });
    const local = JSON.stringify({ ...config, log: config.log.kinesis, data: undefined }).match(/127\.0\.0\.1|localhost/g);
    expect(local).toBeNull();
  });

  it('selects Kafka with the bootstrap brokers and partitions of an MSK cluster', () => {
    const brokers = 'b-1.medialake.abc.kafka.eu-west-1.amazonaws.com:9092,b-2.medialake.abc.kafka.eu-west-1.amazonaws.com:9092';
    const config = loadConfig({}, lakeEnvironment({ ...RESOURCES, log: { backend: 'kafka', brokers, topic: 'medialake-events', partitions: 24 } }));
    expect(config.log).toMatchObject({ backend: 'kafka', kafka: { brokers: brokers.split(','), topic: 'medialake-events', partitions: 24 } });
  });

  it('selects MediaConvert for the video proxy with the stack\'s role and queue, or ffmpeg without them', () => {
    const mediaConvert = { role: 'arn:aws:iam::123456789012:role/medialake-mediaconvert', queue: 'arn:aws:mediaconvert:eu-west-1:123456789012:queues/medialake' };
    const config = loadConfig({}, lakeEnvironment({ ...RESOURCES, mediaConvert }));
    expect(config.processors.video).toMatchObject({ backend: 'mediaconvert', mediaconvert: mediaConvert });
    expect(loadConfig({}, lakeEnvironment(RESOURCES)).processors.video.backend).toBe('ffmpeg');
  });
});
