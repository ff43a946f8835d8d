/**
 * One worker of bench/scaleOut.ts: a member of consumer group `group` on the
 * Kafka log its arguments name, running a CPU-light projection (each asset's
 * record folded in memory). Subscribes when a line arrives on stdin, so the
 * workers of a run join together, and prints how many events it has handled
 * every 50 ms.
 */
import { createInterface } from 'node:readline';
import { openKafkaEventLog } from '../log/kafka';
import { foldAsset, type AssetRecord } from '../projections/assetRecord';

const [brokers, topic, partitions, redisUrl, group] = process.argv.slice(2) as [string, string, string, string, string];
const log = await openKafkaEventLog({ brokers: brokers.split(','), topic, partitions: Number(partitions), redisUrl });
const records = new Map<string, AssetRecord>();
let handled = 0;

await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
log.subscribe({
  group,
  batchSize: 500,
  handle: async (batch) => {
    for (const event of batch) {
      const record = foldAsset(records.get(event.assetId), event);
      if (record) records.set(event.assetId, record);
    }
    handled += batch.length;
  },
});
setInterval(() => process.stdout.write(`${handled}\n`), 50);
