import { describe, expect, it, vi } from 'vitest';
import { openSearchIndex } from '../../app/backends';
import { ConfigError, loadConfig } from '../../app/config';

describe('configuring the OpenSearch search backend', () => {
  it('reads the node, alias, shards and vector dimensions from MEDIALAKE_* variables', () => {
    const config = loadConfig(
      {},
      {
        MEDIALAKE_SEARCH_BACKEND: 'opensearch',
        MEDIALAKE_OPENSEARCH_NODE: 'https://search.example.com:443',
        MEDIALAKE_OPENSEARCH_INDEX: 'lake-search',
        MEDIALAKE_OPENSEARCH_SHARDS: '3',
        MEDIALAKE_OPENSEARCH_VECTOR_DIMENSIONS: '768',
        MEDIALAKE_OPENSEARCH_SIGV4: 'true',
      },
    );
    expect(config.search).toMatchObject({
      backend: 'opensearch',
      opensearch: { node: 'https://search.example.com:443', index: 'lake-search', shards: 3, vectorDimensions: 768, sigv4: true },
    });
  });

  it('defaults to a local node and the medialake-search alias', () => {
    expect(loadConfig({ 'search.backend': 'opensearch' }, {}).search.opensearch).toEqual({
      node: 'http://127.0.0.1:9200',
      index: 'medialake-search',
      vectorDimensions: 512,
      shards: 1,
      sigv4: false,
    });
  });

  it('says what is wrong before it connects to anything', async () => {
    expect(() => loadConfig({}, { MEDIALAKE_OPENSEARCH_INDEX: 'Media Search' })).toThrow(/search\.opensearch\.index: lower-case letters/);
    expect(() => loadConfig({}, { MEDIALAKE_OPENSEARCH_NODE: 'localhost' })).toThrow(/search\.opensearch\.node/);
    const unsigned = loadConfig({ 'search.backend': 'opensearch', 'search.opensearch.sigv4': true }, {});
    vi.stubEnv('AWS_REGION', undefined);
    await expect(openSearchIndex(unsigned)).rejects.toThrow(ConfigError);
    await expect(openSearchIndex(unsigned)).rejects.toThrow(/needs a region: set aws.region or MEDIALAKE_AWS_REGION/);
    vi.unstubAllEnvs();
  });
});
