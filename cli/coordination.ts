import { Command } from 'commander';
import { coordinationNamespace } from '../app/backends';
import type { CliContext } from './context';
import { flag, type FlagValue } from './flags';

const redisUrl: FlagValue<string> = {
  expects: 'a redis:// or rediss:// URL',
  read: (text) => (URL.canParse(text) && /^rediss?:$/.test(new URL(text).protocol) ? text : undefined),
};

/** `medialake coordination move-to-cluster`: a Kafka or Kinesis log's Redis state, from a single Redis to the configured Redis Cluster. */
export function coordinationCommand(cli: CliContext): Command {
  const move = new Command('move-to-cluster')
    .description(
      "copy the log's coordination state (versions, ids, heads, dead letters, consumer groups, subject keys) from a single Redis " +
        'to the Redis Cluster the lake is configured with (redis.url, redis.cluster), under the key names a cluster uses; ' +
        'run it with every lake process stopped (docs/scale.md)',
    )
    .addOption(flag('--from <url>', 'the single Redis that holds the state now', redisUrl).makeOptionMandatory())
    .option('--json', 'print the outcome as JSON')
    .action(async (options: { from: string; json?: boolean }) => {
      const config = cli.config();
      const namespace = coordinationNamespace(config);
      if (!namespace) throw new Error('the embedded log keeps no state in Redis: there is nothing to move (log.backend is sqlite)');
      if (!config.redis.cluster) throw new Error('the lake is not configured for a Redis Cluster: set redis.url to one of its nodes and redis.cluster (MEDIALAKE_REDIS_CLUSTER=true)');
      const { moveStateToCluster } = await import('../log/redisStateMove');
      const keys = await moveStateToCluster(options.from, config.redis.url, namespace);
      if (options.json) return cli.print({ namespace, keys });
      process.stdout.write(`moved ${keys} keys of ${namespace} to the Redis Cluster; the lake can start on it\n`);
    });
  return new Command('coordination').description('the Redis state that coordinates a Kafka or Kinesis log').addCommand(move);
}
