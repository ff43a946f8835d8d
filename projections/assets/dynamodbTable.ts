import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateItemCommand,
  paginateQuery,
  paginateScan,
  waitUntilTableExists,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import type { StoredEvent } from '../../schemas/envelope';
import { advance, type Positions } from '../../log/eventLog';
import { foldAsset, type AssetRecord, type AssetStatus } from '../assetRecord';
import { cursorAfter, ListingIndexMissingError, listingKey, type AssetPage, type AssetRecords, type ListOptions, type ListSort } from './assetRecords';

export class DynamoDbTableMissingError extends Error {
  readonly code = 'TABLE_MISSING';
  constructor(
    readonly table: string,
    describedIn = 'projections/assets/dynamodbTable.ts',
  ) {
    super(`DynamoDB table ${table} does not exist: create it as ${describedIn} describes, or set records.dynamodb.createTable`);
  }
}

/*
 * A table per generation of the asset records (projections/assets/dynamodb.ts
 * names the live one). Its key is `pk`: an asset id for an asset item,
 * `checkpoint#GROUP` for the checkpoint item (asset ids hold no "#", so the
 * two never meet).
 * An asset item holds the record as JSON beside the attributes its indexes use:
 * - bySha256 (sha256) and byS3Object (s3Object = "bucket/key"): sparse, only
 *   live assets carry these attributes, so a deleted asset drops out.
 * - byIngest (listed, newest): every asset under the constant partition
 *   "asset", sorted by "ingestedAt\nassetId". One partition keeps paging
 *   simple and ordered; its limit is one partition's write rate (about 1,000
 *   item writes a second across all assets, each record update included,
 *   since the index projects the whole item). Past that, shard `listed` (by
 *   day, say) and merge the shards when reading.
 * - byCapture (listed, captured): the same, sorted by "capturedAt\nassetId"
 *   (the ingest date for an asset without a capture date), for the listing
 *   by capture date.
 * - byStatus (status): keys only, counted by countByStatus.
 */
const LISTED = 'asset';
const INDEXES = {
  bySha256: [{ AttributeName: 'sha256', KeyType: 'HASH' }],
  byS3Object: [{ AttributeName: 's3Object', KeyType: 'HASH' }],
  byIngest: [
    { AttributeName: 'listed', KeyType: 'HASH' },
    { AttributeName: 'newest', KeyType: 'RANGE' },
  ],
  byCapture: [
    { AttributeName: 'listed', KeyType: 'HASH' },
    { AttributeName: 'captured', KeyType: 'RANGE' },
  ],
  byStatus: [{ AttributeName: 'status', KeyType: 'HASH' }],
} as const;
const STRING_ATTRIBUTES = ['pk', 'sha256', 's3Object', 'listed', 'newest', 'captured', 'status'];
const CONCURRENCY = 16;

/** The index and its sort key attribute for each listing. */
const LISTINGS: Record<ListSort, { index: keyof typeof INDEXES; key: string }> = {
  ingested: { index: 'byIngest', key: 'newest' },
  captured: { index: 'byCapture', key: 'captured' },
};
const s3ObjectKey = (bucket: string, key: string) => `${bucket}/${key}`;

function itemOf(record: AssetRecord): Record<string, AttributeValue> {
  const live = record.status !== 'deleted';
  return {
    pk: { S: record.assetId },
    version: { N: String(record.version) },
    status: { S: record.status },
    listed: { S: LISTED },
    newest: { S: listingKey(record, 'ingested') },
    captured: { S: listingKey(record, 'captured') },
    record: { S: JSON.stringify(record) },
    ...(live && { sha256: { S: record.sha256 } }),
    ...(live && record.origin.kind === 's3' && { s3Object: { S: s3ObjectKey(record.origin.bucket, record.origin.key) } }),
    // A string set, so a listing filters on it (a set cannot be empty).
    ...(record.collections?.length && { collections: { SS: record.collections } }),
  };
}

const recordOf = (item: Record<string, AttributeValue>): AssetRecord => JSON.parse(item.record!.S!);

/** What DynamoDB answers a query on an index the table does not have. */
const isMissingIndex = (error: unknown) => error instanceof Error && error.name === 'ValidationException' && /specified index/i.test(error.message);

export function tableDefinition(table: string): CreateTableCommandInput {
  return {
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: STRING_ATTRIBUTES.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: Object.entries(INDEXES).map(([IndexName, KeySchema]) => ({
      IndexName,
      KeySchema: [...KeySchema],
      Projection: { ProjectionType: IndexName === 'byStatus' ? 'KEYS_ONLY' : 'ALL' },
    })),
  };
}

/** Makes sure a table exists (creating it when it is missing and that is allowed; `describedIn` tells a person how) and is ACTIVE. */
export async function ensureTable(client: DynamoDBClient, definition: CreateTableCommandInput, create: boolean, describedIn?: string): Promise<void> {
  const table = definition.TableName!;
  const exists = await client.send(new DescribeTableCommand({ TableName: table })).then(
    () => true,
    (error) => {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    },
  );
  if (!exists) {
    if (!create) throw new DynamoDbTableMissingError(table, describedIn);
    await client.send(new CreateTableCommand(definition)).catch((error) => {
      if (!(error instanceof ResourceInUseException)) throw error; // another process is creating it
    });
  }
  await waitUntilTableExists({ client, maxWaitTime: 300, minDelay: 1, maxDelay: 5 }, { TableName: table });
}

/**
 * The asset records of one generation in one DynamoDB table: the asset fold,
 * written with conditional puts (no transactions needed). Its client belongs
 * to its owner (DynamoDbAssetRecords), which closes it.
 */
export class DynamoDbAssetTable implements AssetRecords {
  readonly name = 'projection:assets';
  private readonly checkpointKey: Record<string, AttributeValue>;

  constructor(
    private readonly client: DynamoDBClient,
    readonly table: string,
  ) {
    this.checkpointKey = { pk: { S: `checkpoint#${this.name}` } };
  }

  /** Opens the table, creating it (and waiting until it is ACTIVE) when it is missing and that is allowed. */
  static async open(client: DynamoDBClient, table: string, create: boolean): Promise<DynamoDbAssetTable> {
    await ensureTable(client, tableDefinition(table), create);
    return new DynamoDbAssetTable(client, table);
  }

  /** Deletes the table; one that is gone already is as good. */
  async drop(): Promise<void> {
    await this.client.send(new DeleteTableCommand({ TableName: this.table })).catch((error) => {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    });
  }

  async positions(): Promise<Positions> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: this.checkpointKey, ConsistentRead: true }),
    );
    const offsets = Object.entries(Item ?? {}).filter(([name]) => name.startsWith('offset:'));
    return Object.fromEntries(offsets.map(([name, value]) => [name.slice('offset:'.length), value.S!]));
  }

  /**
   * Folds each asset's events of the batch into its record and writes the
   * record only if it is newer than the stored one; then moves the checkpoint.
   * The two are not one transaction (dynalite has none, and a batch can touch
   * more items than a DynamoDB transaction takes), yet effects still happen
   * once: a crash between them redelivers the batch, and a redelivered event
   * changes nothing because a record is written only over an older version.
   */
  async apply(batch: StoredEvent[]): Promise<void> {
    const byAsset = new Map<string, StoredEvent[]>();
    for (const event of batch) byAsset.set(event.assetId, [...(byAsset.get(event.assetId) ?? []), event]);
    const limit = pLimit(CONCURRENCY);
    await Promise.all([...byAsset].map(([assetId, events]) => limit(() => this.applyToAsset(assetId, events))));
    await this.saveCheckpoint(advance({}, batch));
  }

  private async applyToAsset(assetId: string, events: StoredEvent[]): Promise<void> {
    const stored = await this.get(assetId);
    let record = stored;
    for (const event of events) {
      if (!record || event.assetVersion > record.version) record = foldAsset(record, event);
    }
    if (!record || record.version === stored?.version) return;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: itemOf(record),
          ConditionExpression: 'attribute_not_exists(#version) OR #version < :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': { N: String(record.version) } },
        }),
      );
    } catch (error) {
      // A newer record is stored already (an earlier delivery of these events): nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** One attribute per partition, each set on its own, so members owning other partitions never overwrite it. */
  private async saveCheckpoint(positions: Positions): Promise<void> {
    const partitions = Object.entries(positions);
    if (!partitions.length) return;
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: this.checkpointKey,
        UpdateExpression: `SET ${partitions.map((_, i) => `#p${i} = :o${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(partitions.map(([partition], i) => [`#p${i}`, `offset:${partition}`])),
        ExpressionAttributeValues: Object.fromEntries(partitions.map(([, offset], i) => [`:o${i}`, { S: offset }])),
      }),
    );
  }

  async get(assetId: string): Promise<AssetRecord | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: { S: assetId } }, ConsistentRead: true }),
    );
    return Item ? recordOf(Item) : undefined;
  }

  async list({ limit, after, includeDeleted, within, sort = 'ingested', order = 'desc' }: ListOptions): Promise<AssetPage> {
    if (within?.length === 0) return { assets: [] };
    const listing = LISTINGS[sort];
    const names: Record<string, string> = { '#listed': 'listed' };
    const values: Record<string, AttributeValue> = { ':listed': { S: LISTED } };
    let condition = '#listed = :listed';
    if (after) {
      condition += ` AND #key ${order === 'asc' ? '>' : '<'} :after`;
      names['#key'] = listing.key;
      values[':after'] = { S: Buffer.from(after, 'base64url').toString() };
    }
    const filters: string[] = [];
    if (!includeDeleted) {
      names['#status'] = 'status';
      values[':deleted'] = { S: 'deleted' };
      filters.push('#status <> :deleted');
    }
    if (within) {
      names['#collections'] = 'collections';
      within.forEach((id, i) => (values[`:c${i}`] = { S: id }));
      filters.push(`(${within.map((_, i) => `contains(#collections, :c${i})`).join(' OR ')})`);
    }
    // One more than a page tells whether there is a next one. A filter is
    // applied after DynamoDB's Limit, so a query may take several calls.
    const found: AssetRecord[] = [];
    const pages = paginateQuery(
      { client: this.client, pageSize: limit + 1 },
      {
        TableName: this.table,
        IndexName: listing.index,
        KeyConditionExpression: condition,
        ...(filters.length && { FilterExpression: filters.join(' AND ') }),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: order === 'asc',
      },
    );
    try {
      for await (const page of pages) {
        found.push(...(page.Items ?? []).map(recordOf));
        if (found.length > limit) break;
      }
    } catch (error) {
      throw isMissingIndex(error) ? new ListingIndexMissingError(this.table, listing.index) : error;
    }
    const assets = found.slice(0, limit);
    return { assets, next: cursorAfter(assets.at(-1), found.length > limit, sort) };
  }

  async countByStatus(): Promise<Partial<Record<AssetStatus, number>>> {
    const counts: Partial<Record<AssetStatus, number>> = {};
    const pages = paginateScan(
      { client: this.client },
      { TableName: this.table, IndexName: 'byStatus', ProjectionExpression: '#status', ExpressionAttributeNames: { '#status': 'status' } },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const status = item.status!.S as AssetStatus;
        counts[status] = (counts[status] ?? 0) + 1;
      }
    }
    return counts;
  }

  findBySha256(sha256: string): Promise<AssetRecord[]> {
    return this.lookup({
      IndexName: 'bySha256',
      KeyConditionExpression: 'sha256 = :value',
      ExpressionAttributeValues: { ':value': { S: sha256 } },
    });
  }

  findByS3Object(bucket: string, key: string): Promise<AssetRecord[]> {
    return this.lookup({
      IndexName: 'byS3Object',
      KeyConditionExpression: 's3Object = :value',
      ExpressionAttributeValues: { ':value': { S: s3ObjectKey(bucket, key) } },
    });
  }

  /** Every record a sparse index holds under one key, by asset id. */
  private async lookup(query: Omit<QueryCommandInput, 'TableName'>): Promise<AssetRecord[]> {
    const records: AssetRecord[] = [];
    for await (const page of paginateQuery({ client: this.client }, { TableName: this.table, ...query })) {
      records.push(...(page.Items ?? []).map(recordOf));
    }
    return records.sort((a, b) => (a.assetId < b.assetId ? -1 : 1));
  }

  /** The client is its owner's to close. */
  async close(): Promise<void> {}
}

