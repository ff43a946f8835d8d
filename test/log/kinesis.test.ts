import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
  type PutRecordsCommandInput,
  type PutRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventDraft, StoredEvent } from '../../schemas/envelope';
import { openKinesisEventLog, type KinesisEventLog, type KinesisLogOptions } from '../../log/kinesis';
import { PUT_RECORDS_MAX_BYTES, PUT_RECORDS_MAX_RECORDS, planPutRecords, putRecords, type PutEntry } from '../../log/kinesisPutRecords';
import { KinesisShards } from '../../log/kinesisShards';
import { engineAvailable } from '../engines/availability';
import { startKinesis, type KinesisEngine } from '../engines/kinesis';
import { redisClusterPresent, redisServerPresent, startRedis, startRedisCluster, type RedisClusterEngine, type RedisEngine } from '../engines/redis';
import { CountingProjection } from '../support/countingProjection';
import { editDraft, ingestedDraft } from '../support/events';
import { temporaryDirectory } from '../support/fixtures';
import { killMidBatch } from '../support/killMidBatch';
import { runWholeLake } from '../support/lakeOnLog';
import { waitFor } from '../support/waitFor';
import { eventLogContract } from './eventLog.contract';
import { expectHeadFromHistory } from './olderHeads';
import { proveTamperEvidence } from './tamperEvidence';
import { ChainKeyring, newChainKey } from '../../log/chainKey';
import { TEST_CHAIN_KEY } from '../support/chainKey';

const CHAIN_KEYS = ChainKeyring.of(newChainKey());

const present =
  engineAvailable('redis-server', redisServerPresent(), 'install the Debian package redis-server (.ci/run does)') &&
  engineAvailable('redis-server and redis-cli', redisClusterPresent(), 'install the Debian package redis-server (.ci/run does)');

/** Round `round` of a stream: `perRound` events for each of `assets` assets, an ingest first. */
function round(assets: number, perRound: number, round: number): EventDraft[] {
  return Array.from({ length: assets }, (_, a) =>
    Array.from({ length: perRound }, (_, i) => (round === 0 && i === 0 ? ingestedDraft(`asset-${a}`) : editDraft(`asset-${a}`, `r${round} e${i}`))),
  ).flat();
}

const entry = (partitionKey: string, bytes = 10): PutEntry => ({ partitionKey, data: Buffer.alloc(bytes, 1) });

describe('planning PutRecords calls within the Kinesis limits', () => {
  it(`puts at most ${PUT_RECORDS_MAX_RECORDS} records in a call`, () => {
    const entries = Array.from({ length: 1200 }, (_, i) => entry(`key-${i}`));
    expect(planPutRecords(entries).map((call) => call.length)).toEqual([500, 500, 200]);
  });

  it('keeps a call under 5 MiB, data and partition keys counted', () => {
    const entries = Array.from({ length: 12 }, (_, i) => entry(`key-${i}`, 1024 * 1024 - 300));
    const calls = planPutRecords(entries);
    for (const call of calls) {
      const bytes = call.reduce((sum, i) => sum + entries[i]!.data.length + entries[i]!.partitionKey.length, 0);
      expect(bytes).toBeLessThanOrEqual(PUT_RECORDS_MAX_BYTES);
    }
    expect(calls.flat()).toEqual(entries.map((_, i) => i));
    expect(calls.length).toBe(3);
  });

  it('puts one record per partition key in a call, so a key’s records land in order even when some are retried', () => {
    const entries = [entry('a'), entry('b'), entry('a'), entry('c'), entry('a'), entry('b')];
    expect(planPutRecords(entries)).toEqual([[0, 1, 3], [2, 5], [4]]);
  });
});

describe.skipIf(!present)('Kinesis event log', () => {
  let kinesis: KinesisEngine;
  let redis: RedisEngine;
  let redisCluster: RedisClusterEngine;
  let client: KinesisClient;
  const directory = temporaryDirectory();
  const open = (stream: string, shards = 2, redisTarget: Pick<KinesisLogOptions, 'redisUrl' | 'redisCluster'> = { redisUrl: redis.url }) =>
    openKinesisEventLog({ stream, shards, ...kinesis.client, ...redisTarget, chainKeys: CHAIN_KEYS, pollMs: 50, leaseMs: 2_000 });

  beforeAll(async () => {
    [kinesis, redis, redisCluster] = await Promise.all([startKinesis(), startRedis(), startRedisCluster()]);
    client = new KinesisClient({ ...kinesis.client, requestHandler: new NodeHttpHandler() });
  });
  afterAll(async () => {
    client?.destroy();
    await Promise.all([kinesis?.stop(), redis?.stop(), redisCluster?.stop()]);
    directory.remove();
  });

  eventLogContract('Kinesis', { open: (name) => open(name) });
  // Consumer groups (shard leases, checkpoints) live in Redis too on Kinesis: the contract's group tests exercise them on a cluster.
  eventLogContract('Kinesis, coordinated by a Redis Cluster', { open: (name) => open(name, 2, { redisUrl: redisCluster.url, redisCluster: true }) });

  async function whenActive(stream: string): Promise<void> {
    await waitFor(`stream ${stream} active`, async () => {
      const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      return StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
    });
  }

  async function openShards(stream: string) {
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
    return Shards.filter((shard) => !shard.SequenceNumberRange?.EndingSequenceNumber);
  }

  it('follows a split and a merge in the middle of a stream: every event projected once, each asset in order', async () => {
    const stream = `reshard-${randomUUID().slice(0, 8)}`;
    const log = await open(stream, 1);
    const store = new CountingProjection(join(directory.path, 'reshard.db'));
    const [first, second, third] = [0, 1, 2].map((r) => round(15, 2, r));

    await log.append(first!);
    const [parent] = await openShards(stream);
    const { StartingHashKey, EndingHashKey } = parent!.HashKeyRange!;
    const middle = (BigInt(StartingHashKey!) + BigInt(EndingHashKey!)) / 2n;
    await client.send(new SplitShardCommand({ StreamName: stream, ShardToSplit: parent!.ShardId!, NewStartingHashKey: String(middle) }));
    await whenActive(stream);
    await log.append(second!);

    const [left, right] = await openShards(stream);
    await client.send(new MergeShardsCommand({ StreamName: stream, ShardToMerge: left!.ShardId!, AdjacentShardToMerge: right!.ShardId! }));
    await whenActive(stream);
    await log.append(third!);

    // Consumers that start now find every shard holding records: an asset's
    // later events wait in the children until its earlier ones in the parent are handled.
    const members = [1, 2].map(() => log.subscribe({ group: store.name, batchSize: 5, handle: (b) => store.apply(b), positions: () => store.positions() }));
    const total = first!.length + second!.length + third!.length;
    await waitFor('the consumers to catch up', async () => (await log.lag(await store.positions())) === 0);
    await Promise.all(members.map((m) => m.stop()));

    expect(store.effects().size).toBe(total);
    expect([...store.effects().values()].every((times) => times === 1)).toBe(true);
    expect((await new KinesisShards(client, stream).list()).length).toBe(4); // the parent, two children, their merge
    const replay: StoredEvent[] = [];
    for await (const batch of log.readAll()) replay.push(...batch);
    expect(replay.filter((e) => e.assetId === 'asset-7').map((e) => e.assetVersion)).toEqual([1, 2, 3, 4, 5, 6]);
    // Each asset's chain runs on from the parent shard into its children.
    expect((await log.verifyChain()).flatMap((report) => report.breaks)).toEqual([]);
    await Promise.all([log.close(), store.close()]);
  });

  it('opens a stream it may not create, as a deployment that provisions it grants no kinesis:CreateStream', async () => {
    const stream = `provisioned-${randomUUID().slice(0, 8)}`;
    await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
    await whenActive(stream);
    // In front of kinesalite, refusing CreateStream as IAM does: before Kinesis would say the stream exists.
    const target = new URL(kinesis.client.endpoint);
    const refused: string[] = [];
    const proxy = createServer((request, response) => {
      if (String(request.headers['x-amz-target']).endsWith('.CreateStream')) {
        refused.push(String(request.headers['x-amz-target']));
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'not authorized to perform: kinesis:CreateStream' }));
        return;
      }
      request.pipe(httpRequest({ host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(response);
      }));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const log = await openKinesisEventLog({ stream, shards: 2, ...kinesis.client, endpoint, redisUrl: redis.url, chainKeys: CHAIN_KEYS, pollMs: 50, leaseMs: 2_000 });
      expect(await log.append([ingestedDraft('provisioned-1')])).toHaveLength(1);
      await log.close();
      expect(refused).toEqual([]);
    } finally {
      proxy.close();
    }
  });

  it('retries only the failed records of a partly failed PutRecords call, keeping each key’s order', async () => {
    const stream = `partial-${randomUUID().slice(0, 8)}`;
    const log: KinesisEventLog = await open(stream);
    await log.close(); // created the stream
    // kinesalite never throttles, so the first call's odd records are refused
    // here, the way Kinesis refuses them (ProvisionedThroughputExceededException).
    const faulty = new KinesisClient({ ...kinesis.client, requestHandler: new NodeHttpHandler() });
    let calls = 0;
    faulty.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as PutRecordsCommandInput;
        if (!input.Records || calls++ > 0) return next(args);
        const refused = (i: number) => i % 2 === 1;
        const result = await next({ ...args, input: { ...input, Records: input.Records.filter((_, i) => !refused(i)) } });
        const output = result.output as PutRecordsCommandOutput;
        const accepted = [...(output.Records ?? [])];
        output.Records = input.Records.map((_, i) =>
          refused(i) ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' } : accepted.shift()!,
        );
        output.FailedRecordCount = input.Records.length - accepted.length;
        return result;
      },
      { step: 'initialize', name: 'refuseOddRecordsOnce' },
    );
    const entries = Array.from({ length: 30 }, (_, i) => ({ partitionKey: `key-${i % 10}`, data: Buffer.from(String(i)) }));
    const placed = await putRecords(faulty, stream, entries);
    faulty.destroy();

    expect(calls).toBeGreaterThan(3); // three waves, the first one retried
    expect(placed.every((p) => p.sequenceNumber)).toBe(true);
    const stored: { key: string; value: number; sequence: bigint }[] = [];
    const reader = new KinesisShards(client, stream);
    for (const shard of await reader.list()) {
      const { records } = await reader.records(await reader.iterator(shard.ShardId!, 'start'));
      stored.push(...records.map((r) => ({ key: r.PartitionKey!, value: Number(Buffer.from(r.Data!).toString()), sequence: BigInt(r.SequenceNumber!) })));
    }
    expect(stored.map((r) => r.value).sort((a, b) => a - b)).toEqual(entries.map((_, i) => i));
    for (let k = 0; k < 10; k++) {
      const ofKey = stored.filter((r) => r.key === `key-${k}`).sort((a, b) => (a.sequence < b.sequence ? -1 : 1));
      expect(ofKey.map((r) => r.value)).toEqual([k, k + 10, k + 20]);
    }
  });

  it('keeps a hash chain per asset: intact as appended, then an edited copy, a forged event and an event dropped from the end named', async () => {
    const stream = `chain-${randomUUID().slice(0, 8)}`;
    const log = await open(stream);
    try {
      const write = async ({ key, data }: { key: string; data: Buffer }) => void (await putRecords(client, stream, [{ partitionKey: key, data }]));
      await proveTamperEvidence(log, write, redis.url, `medialake:kinesis:${stream}:heads`, CHAIN_KEYS);
    } finally {
      await log.close();
    }
  });

  it("works out an asset's head from its history where Redis keeps it as written before heads held liveness", async () => {
    const stream = `heads-${randomUUID().slice(0, 8)}`;
    const headsLog = await open(stream);
    try {
      await expectHeadFromHistory(headsLog, redis.url, `medialake:kinesis:${stream}:heads`);
    } finally {
      await headsLog.close();
    }
  });

  it('projects every event exactly once when a consumer is killed in the middle of a batch and started again', async () => {
    const stream = `killed-${randomUUID().slice(0, 8)}`;
    const log = await open(stream);
    const drafts = round(10, 6, 0);
    await log.append(drafts);
    const config = {
      'log.backend': 'kinesis',
      'log.kinesis.stream': stream,
      'log.kinesis.endpoint': kinesis.client.endpoint,
      'aws.region': kinesis.client.region,
      'redis.url': redis.url,
      'chain.key': TEST_CHAIN_KEY,
    };
    const path = join(directory.path, 'killed.db');
    await killMidBatch(config, path, { AWS_ACCESS_KEY_ID: 'medialake', AWS_SECRET_ACCESS_KEY: 'medialake' });

    const restarted = new CountingProjection(path);
    const before = restarted.effects().size;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(drafts.length);
    // The dead worker's shard leases run out (10 s by default), then this member takes them over.
    const subscription = log.subscribe({ group: restarted.name, handle: (b) => restarted.apply(b), positions: () => restarted.positions() });
    await waitFor('the rest projected', () => restarted.effects().size === drafts.length, 60_000);
    await sleep(300);
    await subscription.stop();
    expect([...restarted.effects().values()].every((times) => times === 1)).toBe(true);
    await Promise.all([restarted.close(), log.close()]);
  }, 90_000);
  it('counts a member live while a batch outlasts its lease, as it renews it', async () => {
    const log = await open(`slow-${randomUUID().slice(0, 8)}`, 1);
    await log.append([ingestedDraft('asset-a')]);
    let started = false;
    let release = () => undefined as void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const member = log.subscribe({ group: 'slow', handle: async () => ((started = true), released) });
    await waitFor('the batch under way', () => started);
    await sleep(3 * 2_000); // three leases' time (leaseMs 2 s) spent inside the one batch
    expect(await log.groupMembers('slow')).toBe(1);
    release();
    await member.stop();
    await log.close();
  }, 30_000);
  it('moves a self-checkpointing projection past a record that is no event and ends a shard: its lag reaches 0', async () => {
    const stream = `foreign-${randomUUID().slice(0, 8)}`;
    const log = await open(stream, 1);
    const store = new CountingProjection(join(directory.path, 'foreign.db'));
    await log.append([ingestedDraft('asset-a'), editDraft('asset-a', 'a title')]);
    await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'garbage', Data: Buffer.from('{"not":"an event"}') }));

    const subscription = log.subscribe({ group: store.name, handle: (b) => store.apply(b), positions: () => store.positions() });
    await waitFor('the consumer past the record', async () => (await log.lag(await store.positions())) === 0);
    await subscription.stop();
    expect(store.effects().size).toBe(2);
    await Promise.all([store.close(), log.close()]);
  });
  it('runs the whole lake on Kinesis: ingest, processing, search, status', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', kinesis.client.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', kinesis.client.credentials.secretAccessKey);
    try {
      await runWholeLake({
        'log.backend': 'kinesis',
        'log.kinesis.stream': `lake-${randomUUID().slice(0, 8)}`,
        'log.kinesis.endpoint': kinesis.client.endpoint,
        'aws.region': kinesis.client.region,
        'redis.url': redis.url,
      });
    } finally {
      vi.unstubAllEnvs();
    }
  }, 120_000);
});
