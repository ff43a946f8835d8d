import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { EventLog, Positions } from '../../log/eventLog';
import type { StoredEvent } from '../../schemas/envelope';
import type { AssetRecord, AssetStatus } from '../assetRecord';
import { INITIAL_GENERATION, type LiveGeneration } from '../lifecycle/catalog';
import type { RebuildRunOptions, RebuildableStore, Rebuilder } from '../lifecycle/generations';
import { buildFromLog } from '../lifecycle/rebuild';
import { ASSET_RECORDS } from '../registry';
import type { AssetPage, AssetRecords, ListOptions } from './assetRecords';
import { LivePointer, type LiveTables } from './dynamodbLivePointer';
import { DynamoDbAssetTable, DynamoDbTableMissingError } from './dynamodbTable';

export interface DynamoDbAssetRecordsOptions {
  /**
   * Three or more characters. The first generation's table; a rebuild's are
   * `TABLE-GENERATION`, and `TABLE-generations` names the live one.
   */
  table: string;
  region?: string;
  /** DynamoDB local, dynalite; AWS when absent. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Create the tables and their indexes when missing; off where infrastructure code owns them. A rebuild creates its table either way. */
  createTable?: boolean;
}

/** How long a reader goes on with the live table it read last before reading the pointer again. */
const POINTER_TTL_MS = 1_000;
/** How long a replaced table is kept after the switch: readers' pointers expire, and reads already on it finish. */
const RETIRE_GRACE_MS = 3 * POINTER_TTL_MS;

const tablesOf = (live: LiveTables) => [live.table, ...(live.next ? [live.next.table] : [])];

/**
 * Asset records in DynamoDB, in generations: a table each
 * (dynamodbTable.ts), the live one named by a pointer item that every host
 * reads (dynamodbLivePointer.ts).
 *
 * Reads go to the live table, the pointer read again at most every
 * POINTER_TTL_MS (a table that is gone sends the read to the new one at once).
 *
 * A rebuild (`medialake projections rebuild assets`) fills a new table from
 * the log beside the live one, which keeps serving and taking the live
 * consumer's batches. Then it starts the switch in the pointer; from then on
 * a live writer applies each batch to both tables (it reads the pointer after
 * every batch and applies the batch to any table named there that it has not
 * written yet). So once the new table has caught up with the end of the log,
 * it holds every event the live one does, whichever writer handled it and
 * when: a batch whose writer read the pointer before the switch began was on
 * the log before, so the catch-up brought it. The pointer then names the new
 * table, and the old one is deleted after a grace period. No transactions
 * (dynalite has none): conditional writes, and records applied only over
 * older versions, make writing a batch twice harmless.
 */
export class DynamoDbAssetRecords implements AssetRecords, RebuildableStore, Rebuilder {
  readonly name = `projection:${ASSET_RECORDS.name}`;
  readonly backend = 'dynamodb';
  readonly definition = ASSET_RECORDS;
  readonly rebuilder = this;
  private readonly tables = new Map<string, DynamoDbAssetTable>();
  private cached?: { live: LiveTables; at: number };

  private constructor(
    private readonly client: DynamoDBClient,
    private readonly pointer: LivePointer,
    private readonly options: DynamoDbAssetRecordsOptions,
  ) {}

  /** Opens the live generation, creating the tables (and waiting until they are ACTIVE) when missing and that is allowed. */
  static async open(options: DynamoDbAssetRecordsOptions): Promise<DynamoDbAssetRecords> {
    const client = new DynamoDBClient({
      ...(options.region && { region: options.region }),
      ...(options.endpoint && { endpoint: options.endpoint }),
      ...(options.credentials && { credentials: options.credentials }),
    });
    try {
      const create = options.createTable ?? true;
      const pointer = await LivePointer.open(client, `${options.table}-generations`, ASSET_RECORDS.name, create);
      const records = new DynamoDbAssetRecords(client, pointer, options);
      const live = await DynamoDbAssetTable.open(client, (await records.liveTables(true)).table, create);
      records.tables.set(live.table, live);
      return records;
    } catch (error) {
      client.destroy();
      throw error;
    }
  }

  /** The table of a generation: the configured one for the first. */
  private tableOf(generation: string): string {
    return generation === INITIAL_GENERATION ? this.options.table : `${this.options.table}-${generation}`;
  }

  private table(name: string): DynamoDbAssetTable {
    let table = this.tables.get(name);
    if (!table) this.tables.set(name, (table = new DynamoDbAssetTable(this.client, name)));
    return table;
  }

  /** The live tables, from the pointer (read now when `fresh`, else as read within POINTER_TTL_MS). */
  private async liveTables(fresh: boolean): Promise<LiveTables> {
    if (!fresh && this.cached && Date.now() - this.cached.at < POINTER_TTL_MS) return this.cached.live;
    const live =
      (await this.pointer.read()) ??
      (await this.pointer.initialize({
        generation: INITIAL_GENERATION,
        table: this.options.table,
        version: this.definition.version,
        builtAt: new Date().toISOString(),
      }));
    this.cached = { live, at: Date.now() };
    return live;
  }

  /** Runs a read on the live table; one a switch has just deleted sends it to the new one. */
  private async read<T>(work: (table: DynamoDbAssetTable) => Promise<T>): Promise<T> {
    const { table } = await this.liveTables(false);
    try {
      return await work(this.table(table));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      const now = await this.liveTables(true);
      if (now.table === table) throw new DynamoDbTableMissingError(table);
      return work(this.table(now.table));
    }
  }

  async positions(): Promise<Positions> {
    return this.table((await this.liveTables(true)).table).positions();
  }

  /** Applies the batch to every table the pointer names, until a fresh read of it names none it has not (see the top of this class). */
  async apply(batch: StoredEvent[]): Promise<void> {
    const written = new Set<string>();
    const gone = new Set<string>();
    for (;;) {
      const live = await this.liveTables(true);
      const missing = tablesOf(live).find((table) => gone.has(table));
      if (missing) throw new DynamoDbTableMissingError(missing);
      const targets = tablesOf(live).filter((table) => !written.has(table));
      if (!targets.length) return;
      for (const table of targets) {
        try {
          await this.table(table).apply(batch);
          written.add(table);
        } catch (error) {
          // Deleted by a switch or a failed rebuild since the pointer was read: the pointer says where to go.
          if (!(error instanceof ResourceNotFoundException)) throw error;
          gone.add(table);
        }
      }
    }
  }

  get(assetId: string): Promise<AssetRecord | undefined> {
    return this.read((table) => table.get(assetId));
  }

  list(options: ListOptions): Promise<AssetPage> {
    return this.read((table) => table.list(options));
  }

  countByStatus(): Promise<Partial<Record<AssetStatus, number>>> {
    return this.read((table) => table.countByStatus());
  }

  findBySha256(sha256: string): Promise<AssetRecord[]> {
    return this.read((table) => table.findBySha256(sha256));
  }

  findByS3Object(bucket: string, key: string): Promise<AssetRecord[]> {
    return this.read((table) => table.findByS3Object(bucket, key));
  }

  async live(): Promise<LiveGeneration> {
    const { generation, version, builtAt } = await this.liveTables(true);
    return { generation, version, builtAt };
  }

  /** A new table beside the live one, filled from the log, then switched to (see the top of this class). */
  async rebuild(log: EventLog, options: RebuildRunOptions): Promise<LiveGeneration> {
    const { generation } = options;
    const built = await DynamoDbAssetTable.open(this.client, this.tableOf(generation), true);
    await buildFromLog(
      log,
      {
        store: built,
        cutOver: (catchUp) => this.switchTo(built, generation, catchUp),
        isLive: async () => (await this.liveTables(true)).generation === generation,
        discard: () => this.drop(built),
      },
      this.definition.name,
      options,
    );
    return this.live();
  }

  private async switchTo(built: DynamoDbAssetTable, generation: string, catchUp: () => Promise<void>): Promise<void> {
    const previous = await this.liveTables(true);
    await this.pointer.beginSwitch(previous.generation, { generation, table: built.table });
    try {
      await catchUp();
      await this.pointer.finishSwitch({ generation, table: built.table, version: this.definition.version, builtAt: new Date().toISOString() });
    } catch (error) {
      await this.pointer.abortSwitch(generation);
      throw error;
    }
    this.cached = undefined;
    await sleep(RETIRE_GRACE_MS);
    // The first generation's table is the infrastructure's where the lake may not create tables (the CDK app's, with
    // deletion protection and point-in-time recovery): it stays, out of use, for its owner to remove.
    if (previous.table === this.options.table && this.options.createTable === false) return;
    await this.drop(this.table(previous.table));
  }

  private async drop(table: DynamoDbAssetTable): Promise<void> {
    await table.drop();
    this.tables.delete(table.table);
  }

  /** Drops what a rebuild whose process died left: its table, and its half-begun switch. */
  async discard(generation: string): Promise<void> {
    if ((await this.liveTables(true)).generation === generation) return;
    await this.pointer.abortSwitch(generation);
    await this.drop(this.table(this.tableOf(generation)));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
