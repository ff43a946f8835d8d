// A consumer in a process of its own, for tests that kill one: the counting
// projection on the log the configuration names, slow enough per batch that
// a kill lands in the middle of one. Arguments: config overrides as JSON, the
// projection's database path. Prints "handling" and "applied" per batch.
import { setTimeout as sleep } from 'node:timers/promises';
import { openEventLog } from '../../app/backends';
import { loadConfig } from '../../app/config';
import { CountingProjection } from './countingProjection';

const [overrides, path] = process.argv.slice(2);
const log = await openEventLog(loadConfig(JSON.parse(overrides!), process.env));
const store = new CountingProjection(path!);
log.subscribe({
  group: store.name,
  batchSize: 5,
  positions: () => store.positions(),
  handle: async (batch) => {
    process.stdout.write('handling\n');
    await sleep(300);
    await store.apply(batch);
    process.stdout.write('applied\n');
  },
});
