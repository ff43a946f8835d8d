import { existsSync, readdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/fixtures';
import { medialake } from './medialakeProcess';
import { TEST_CHAIN_KEY } from '../support/chainKey';
import { redisServerPresent, startRedis } from '../engines/redis';
import { engineAvailable } from '../engines/availability';

describe('errors: one line on stderr that a person can act on, and a non-zero exit', () => {
  const data = temporaryDirectory();
  // A lake there (its log made), for the commands that need one.
  beforeAll(async () => expect((await medialake(['--data', data.path, 'users', 'add', 'someone', '--role', 'viewer'], { MEDIALAKE_LOG_LEVEL: 'silent' })).code).toBe(0));
  afterAll(() => data.remove());
  const fails = async (args: string[]) => {
    const outcome = await medialake(['--data', data.path, ...args], { MEDIALAKE_LOG_LEVEL: 'silent' });
    expect(outcome.code, `medialake ${args.join(' ')}`).not.toBe(0);
    expect(outcome.stdout).toBe('');
    return outcome.stderr;
  };

  it.each([
    [['search', '--limit', 'abc'], '--limit expects a whole number from 1 to 200, not "abc"'],
    [['search', '--min-size', '-1'], '--min-size expects a whole number, 0 or more, not "-1"'],
    [['search', '--from', '2024-13-45'], '--from expects a date like 2024-01-31, not "2024-13-45"'],
    [['search', '--type', 'hologram'], '--type expects one of image, video, audio, document or other, not "hologram"'],
    [['search', '--mode', 'semantic'], 'the query: semantic and hybrid search need a text to look for'],
    [['audit', '--from', '2024-13-45'], '--from expects a date like 2024-01-31, or a time like 2024-01-31T09:30:00Z, not "2024-13-45"'],
    [['audit', '--limit', '0'], '--limit expects a whole number from 1 to 1000, not "0"'],
    [['audit', '--order', 'up'], '--order expects one of asc or desc, not "up"'],
    [['audit', '--asset', 'Not An Id'], '--asset expects an asset id, as search and events print it, not "Not An Id"'],
    [['audit', '--format', 'xml'], '--format expects one of table, json or csv, not "xml"'],
    [['audit', 'verify', '--anchor', '12'], '--anchor expects OFFSET:HASH, as a previous `audit verify` printed the head, not "12"'],
    [['audit', 'verify', '--log-file', '/no/such/log.db'], '--log-file expects a file that exists, not "/no/such/log.db"'],
    [['audit', 'sql', 'SELECT 1', '--param', 'source'], '--param expects name=value, not "source"'],
    [['serve', '--port', 'eighty'], '--port expects a whole number from 0 to 65535, not "eighty"'],
    [['serve', '--watch', '/no/such/folder'], '--watch expects a directory that exists, not "/no/such/folder"'],
    [['cameras', '--year', '08'], '--year expects a year like 2008, not "08"'],
    [['reprocess', '--type', 'hologram'], '--type expects one of image, video, audio, document or other, not "hologram"'],
    [['--config', '/no/such/medialake.config.json', 'status'], '--config expects a file that exists, not "/no/such/medialake.config.json"'],
    [['--log-level', 'loud', 'status'], '--log-level expects one of fatal, error, warn, info, debug, trace or silent, not "loud"'],
    [['search', '--fro', '2024-01-01'], "unknown option '--fro' (Did you mean --from?) (add --help for usage)"],
    [['ingest'], "missing required argument 'paths' (add --help for usage)"],
    [['erase', 'Jane Doe', ' '], 'erase expects the names of people, as they appear, not " "'],
    [['ingest', '/no/such/folder'], '/no/such/folder: there is no such file or folder'],
  ])('a flag or argument that is wrong: %j', async (args, message) => {
    expect(await fails(args)).toBe(`medialake: ${message}\n`);
  });

  it('refuses an empty --data (a script\'s unset variable) rather than make a lake of the working directory', async () => {
    const cwd = temporaryDirectory();
    try {
      const outcome = await medialake(['--data', '', 'collections', 'create', 'Trip'], { MEDIALAKE_LOG_LEVEL: 'silent' }, cwd.path);
      expect(outcome).toEqual({ code: 1, stdout: '', stderr: 'medialake: invalid configuration at data: an empty path: give the directory of the lake\n' });
      expect(readdirSync(cwd.path)).toEqual([]);
    } finally {
      cwd.remove();
    }
  });

  it.each([
    ['[erased]', 'MEDIALAKE_ACTOR "[erased]" cannot name who acts: the name [erased] is reserved for the system'],
    ['medialake', 'MEDIALAKE_ACTOR "medialake" cannot name who acts: the name medialake is reserved for the system'],
    ['evil\nactor', 'MEDIALAKE_ACTOR "evil\\nactor" cannot name who acts: a name without control characters or invisible formatting (bidi overrides, zero-width marks)'],
    ['', 'MEDIALAKE_ACTOR "" cannot name who acts: it is empty'],
  ])('refuses to sign events as MEDIALAKE_ACTOR=%j: a system name, an invisible character, nothing', async (name, message) => {
    const outcome = await medialake(['--data', data.path, 'collections', 'create', 'Trip'], { MEDIALAKE_LOG_LEVEL: 'silent', MEDIALAKE_ACTOR: name });
    expect(outcome).toEqual({ code: 1, stdout: '', stderr: `medialake: ${message} (set MEDIALAKE_ACTOR to another name)\n` });
  });

  it('names --processor when reprocessing asks for a processor there is none of', async () => {
    expect(await fails(['reprocess', '--processor', 'sharpen'])).toMatch(/^medialake: --processor: there is no processor sharpen: the processors are metadata, [^\n]+\n$/);
  });

  it.each([
    ['status'],
    ['search', 'canon'],
    ['events', 'a0000000000000000000000000000000'],
    ['audit'],
    ['audit', 'sql', 'SELECT 1'],
    ['audit', 'verify'],
    ['cameras'],
    ['projections', 'list'],
    ['projections', 'status'],
    ['projections', 'rebuild', 'search'],
    ['users', 'list'],
    ['users', 'disable', 'bob'],
    ['reprocess'],
    ['erase', 'bob'],
    ['redact', 'a0000000000000000000000000000000', '--title'],
  ])(
    'a command that needs a lake already there refuses a data directory that does not exist, and does not create it: %j',
    async (...args) => {
      const missing = join(data.path, 'typo');
      const { code, stdout, stderr } = await medialake(['--data', missing, ...args], { MEDIALAKE_LOG_LEVEL: 'silent' });
      expect({ code, stdout, stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr: `medialake: there is no lake at ${missing} (no log.db): give --data (or MEDIALAKE_DATA) the directory of an existing one\n`,
      });
      expect(existsSync(missing)).toBe(false);
    },
  );

  it.each([[['status']], [['audit', 'verify']]])('refuses a directory that holds no log, and writes nothing there (a new log would be signed and verified as intact): %j', async (args) => {
    const empty = temporaryDirectory();
    const { code, stderr } = await medialake(['--data', empty.path, ...args], { MEDIALAKE_LOG_LEVEL: 'silent' });
    expect({ code, stderr }).toEqual({ code: 1, stderr: `medialake: there is no lake at ${empty.path} (no log.db): give --data (or MEDIALAKE_DATA) the directory of an existing one\n` });
    expect(readdirSync(empty.path)).toEqual([]);
    empty.remove();
  });

  it.each([
    ['OpenSearch', { MEDIALAKE_SEARCH_BACKEND: 'opensearch', MEDIALAKE_OPENSEARCH_NODE: 'http://127.0.0.1:1' }, 'OpenSearch at http://127.0.0.1:1'],
    ['DynamoDB', { MEDIALAKE_RECORDS_BACKEND: 'dynamodb', MEDIALAKE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1', MEDIALAKE_AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, 'DynamoDB at http://127.0.0.1:1'],
  ])('names the engine it cannot reach at start, and where (%s)', async (_engine, environment, named) => {
    const { code, stderr } = await medialake(['--data', data.path, 'status'], { MEDIALAKE_LOG_LEVEL: 'silent', ...environment });
    expect({ code, stderr }).toEqual({ code: 1, stderr: `medialake: ${named}: connect ECONNREFUSED 127.0.0.1:1\n` });
  });

  const redisPresent = engineAvailable('redis-server', redisServerPresent(), 'install the Debian package redis-server (.ci/run does)');
  it.runIf(redisPresent)("names a Kafka broker it cannot reach in one line, without the client's retries logged around it", async () => {
    const redis = await startRedis();
    try {
      const kafka = { MEDIALAKE_LOG_BACKEND: 'kafka', MEDIALAKE_KAFKA_BROKERS: '127.0.0.1:1', MEDIALAKE_REDIS_URL: redis.url, MEDIALAKE_CHAIN_KEY: TEST_CHAIN_KEY };
      const { code, stderr } = await medialake(['--data', data.path, 'status'], kafka);
      expect({ code, stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/^medialake: Kafka at 127\.0\.0\.1:1: [^\n]*ECONNREFUSED[^\n]*\n$/) });
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it('gives up on an OpenSearch that takes connections and never answers (a frozen node) within seconds, naming it', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const node = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const started = Date.now();
    const { code, stderr } = await medialake(['--data', data.path, 'status'], { MEDIALAKE_LOG_LEVEL: 'silent', MEDIALAKE_SEARCH_BACKEND: 'opensearch', MEDIALAKE_OPENSEARCH_NODE: node });
    silent.close();
    expect({ code, stderr }).toEqual({ code: 1, stderr: `medialake: OpenSearch at ${node}: Request timed out\n` });
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it('reprocess exits 1 when none of the assets it was given is in the lake', async () => {
    const { code, stdout } = await medialake(['--data', data.path, 'reprocess', 'a0000000000000000000000000000000'], { MEDIALAKE_LOG_LEVEL: 'silent' });
    expect({ code, stdout }).toEqual({ code: 1, stdout: 'requested 0, skipped 1\n  skipped a0000000000000000000000000000000: no such asset\n' });
  });

  it('schema needs no lake at all', async () => {
    const { code, stdout } = await medialake(['--data', join(data.path, 'none'), 'schema']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).$schema).toMatch(/json-schema/);
  });
});
