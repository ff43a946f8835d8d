import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../engines/freePorts';
import { startKinesis, type KinesisEngine } from '../engines/kinesis';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { medialake } from './medialakeProcess';
import { TEST_CHAIN_KEY } from '../support/chainKey';

describe('ingest on Kinesis with Redis out of reach from the start', () => {
  let kinesis: KinesisEngine;
  const directory = temporaryDirectory('medialake-outage-start-');

  beforeAll(async () => {
    kinesis = await startKinesis();
  });
  afterAll(async () => {
    await kinesis?.stop();
    directory.remove();
  });

  it('retries the open for ingest.outageRetryMs saying so, then exits 75 with every file under notIngested', async () => {
    // Redis stopped before the command starts: nothing listens on its port.
    const [redisPort] = await freePorts(1);
    const folder = join(directory.path, 'photos');
    mkdirSync(folder);
    copyFileSync(fixture('jpg/Canon_40D.jpg'), join(folder, 'a.jpg'));
    copyFileSync(fixture('jpg/Nikon_D70.jpg'), join(folder, 'b.jpg'));
    const outcome = await medialake(['--data', join(directory.path, 'lake'), 'ingest', folder, '--json'], {
      MEDIALAKE_LOG_LEVEL: 'silent',
      MEDIALAKE_LOG_BACKEND: 'kinesis',
      MEDIALAKE_CHAIN_KEY: TEST_CHAIN_KEY,
      MEDIALAKE_KINESIS_ENDPOINT: kinesis.client.endpoint,
      MEDIALAKE_KINESIS_STREAM: 'outage-at-start',
      MEDIALAKE_KINESIS_SHARDS: '1',
      MEDIALAKE_AWS_REGION: kinesis.client.region,
      AWS_ACCESS_KEY_ID: kinesis.client.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: kinesis.client.credentials.secretAccessKey,
      MEDIALAKE_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      MEDIALAKE_INGEST_OUTAGE_RETRY_MS: '500',
    });
    expect(outcome.stderr).toMatch(/^medialake: Redis at 127\.0\.0\.1:\d+ is unreachable; retrying for up to 1 s \(ingest\.outageRetryMs\)$/m);
    expect(outcome.code).toBe(75);
    const summary = JSON.parse(outcome.stdout);
    expect(summary).toMatchObject({ ingested: 0, duplicates: 0, failed: [], outage: expect.stringMatching(/^Redis at 127\.0\.0\.1:\d+ is unreachable/) });
    expect(summary.notIngested.sort()).toEqual([join(folder, 'a.jpg'), join(folder, 'b.jpg')]);
  }, 60_000);
});
