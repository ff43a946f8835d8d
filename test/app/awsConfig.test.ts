import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config';

describe('configuring the AWS backends', () => {
  it('reads S3, DynamoDB and connected buckets from MEDIALAKE_* variables', () => {
    const config = loadConfig(
      {},
      {
        MEDIALAKE_STORAGE_BACKEND: 's3',
        MEDIALAKE_S3_BUCKET: 'media-lake',
        MEDIALAKE_S3_PREFIX: 'lake/',
        MEDIALAKE_S3_ENDPOINT: 'http://minio:9000',
        MEDIALAKE_S3_FORCE_PATH_STYLE: 'false',
        MEDIALAKE_S3_SOURCES: '[{"bucket": "camera-uploads", "prefix": "incoming/", "suffixes": [".jpg"]}]',
        MEDIALAKE_RECORDS_BACKEND: 'dynamodb',
        MEDIALAKE_DYNAMODB_TABLE: 'lake-assets',
        MEDIALAKE_DYNAMODB_ENDPOINT: 'http://dynamodb:8000',
        MEDIALAKE_DYNAMODB_CREATE_TABLE: 'false',
        MEDIALAKE_AWS_REGION: 'eu-west-1',
      },
    );
    expect(config).toMatchObject({
      aws: { region: 'eu-west-1' },
      storage: { backend: 's3', s3: { bucket: 'media-lake', prefix: 'lake/', endpoint: 'http://minio:9000', forcePathStyle: false } },
      records: { backend: 'dynamodb', dynamodb: { table: 'lake-assets', endpoint: 'http://dynamodb:8000', createTable: false } },
      sources: { s3: [{ bucket: 'camera-uploads', prefix: 'incoming/', suffixes: ['.jpg'] }] },
    });
  });

  it('says what is missing for the S3 backend', () => {
    expect(() => loadConfig({ 'storage.backend': 's3' }, {})).toThrow(ConfigError);
    expect(() => loadConfig({ 'storage.backend': 's3' }, {})).toThrow(/storage\.s3\.bucket: .*MEDIALAKE_S3_BUCKET/);
    expect(() => loadConfig({}, { MEDIALAKE_DYNAMODB_TABLE: 'ab' })).toThrow(/records\.dynamodb\.table/);
    expect(() => loadConfig({}, { MEDIALAKE_S3_SOURCES: 'camera-uploads' })).toThrow(/sources\.s3/);
  });
});
