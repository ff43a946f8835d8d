import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ensureTable } from './dynamodbTable';

/** A generation of a projection kept in DynamoDB: the table it lives in. */
export interface TableGeneration {
  generation: string;
  table: string;
  /** The projection version it was built with. */
  version: number;
  builtAt: string;
}

/** The live generation, and the one a rebuild is switching to (live writers write to both meanwhile). */
export interface LiveTables extends TableGeneration {
  next?: { generation: string; table: string };
}

export class GenerationMovedError extends Error {
  readonly code = 'GENERATION_MOVED';
  constructor(
    readonly projection: string,
    readonly expected: string,
  ) {
    super(
      `the live generation of ${projection} is no longer ${expected}, or another rebuild is switching it: ` +
        'a rebuild on another host got there first; see `medialake projections list`, and rebuild again if needed',
    );
  }
}

/**
 * Which table of a projection is live, kept where every host reads it: an
 * item per projection in a small table of its own (key `pk`, the projection's
 * name), read with strongly consistent reads. Not an item in the live table:
 * that table is deleted after a rebuild's switch, and a reader must find the
 * live one from a name that stays. Not the embedded catalog (projections.db):
 * it is one machine's file. Every change is a conditional write, so two
 * rebuilds on two hosts cannot both switch.
 */
export class LivePointer {
  private readonly key: Record<string, AttributeValue>;

  private constructor(
    private readonly client: DynamoDBClient,
    readonly table: string,
    private readonly projection: string,
  ) {
    this.key = { pk: { S: projection } };
  }

  /** Opens the pointer table, creating it when it is missing and that is allowed. */
  static async open(client: DynamoDBClient, table: string, projection: string, create: boolean): Promise<LivePointer> {
    await ensureTable(
      client,
      {
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
      create,
      'projections/assets/dynamodbLivePointer.ts (key pk, a string)',
    );
    return new LivePointer(client, table, projection);
  }

  /** The live tables now; undefined before the projection's first generation is recorded. */
  async read(): Promise<LiveTables | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.table, Key: this.key, ConsistentRead: true }));
    if (!Item) return undefined;
    return {
      generation: Item.generation!.S!,
      table: Item.table!.S!,
      version: Number(Item.version!.N),
      builtAt: Item.builtAt!.S!,
      ...(Item.nextGeneration && { next: { generation: Item.nextGeneration.S!, table: Item.nextTable!.S! } }),
    };
  }

  /** Records the first generation, unless another process did: every process ends up with the same one. */
  async initialize(first: TableGeneration): Promise<LiveTables> {
    await this.client
      .send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...this.key, ...attributesOf(first) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch(ignoreConditionFailed);
    return (await this.read())!;
  }

  /** Starts a switch from the live generation `from`: live writers now write to `next` too. */
  async beginSwitch(from: string, next: { generation: string; table: string }): Promise<void> {
    await this.update(
      'SET nextGeneration = :next, nextTable = :table',
      '#generation = :from AND attribute_not_exists(nextGeneration)',
      { ':from': { S: from }, ':next': { S: next.generation }, ':table': { S: next.table } },
    ).catch((error: unknown) => {
      if (error instanceof ConditionalCheckFailedException) throw new GenerationMovedError(this.projection, from);
      throw error;
    });
  }

  /** Makes the generation being switched to the live one. */
  async finishSwitch(next: TableGeneration): Promise<void> {
    const values = Object.fromEntries(Object.entries(attributesOf(next)).map(([name, value]) => [`:${name}`, value]));
    await this.update(
      'SET #generation = :generation, #table = :table, #version = :version, builtAt = :builtAt REMOVE nextGeneration, nextTable',
      'nextGeneration = :generation',
      values,
    ).catch((error: unknown) => {
      if (error instanceof ConditionalCheckFailedException) throw new GenerationMovedError(this.projection, next.generation);
      throw error;
    });
  }

  /** Ends a switch to `generation` that will not happen (its rebuild failed or died); live writers stop writing to it. */
  async abortSwitch(generation: string): Promise<void> {
    await this.update('REMOVE nextGeneration, nextTable', 'nextGeneration = :next', { ':next': { S: generation } }).catch(ignoreConditionFailed);
  }

  private async update(expression: string, condition: string, values: Record<string, AttributeValue>): Promise<void> {
    // Reserved words (generation, table, version) go by placeholder; the names are only those the expressions use.
    const names = { '#generation': 'generation', '#table': 'table', '#version': 'version' };
    const used = Object.fromEntries(Object.entries(names).filter(([placeholder]) => `${expression} ${condition}`.includes(placeholder)));
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: this.key,
        UpdateExpression: expression,
        ConditionExpression: condition,
        ...(Object.keys(used).length && { ExpressionAttributeNames: used }),
        ExpressionAttributeValues: values,
      }),
    );
  }
}

function attributesOf(generation: TableGeneration): Record<string, AttributeValue> {
  return {
    generation: { S: generation.generation },
    table: { S: generation.table },
    version: { N: String(generation.version) },
    builtAt: { S: generation.builtAt },
  };
}

function ignoreConditionFailed(error: unknown): void {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
}
