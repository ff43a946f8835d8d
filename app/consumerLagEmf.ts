/** A consumer group and the events it has still to handle, as Lake.consumers() tells them. */
interface ConsumerLag {
  group: string;
  lag: number;
}

/** The metric infra/compute.ts scales the workers on and infra/alarms.ts alarms on. */
export const CONSUMER_LAG_METRIC = 'ConsumerLagEvents';

/**
 * One CloudWatch Embedded Metric Format document per consumer group: its lag
 * under the dimension Consumer, and the same value under no dimension. EMF
 * takes one value per dimension key in a document, hence one per group; the
 * dimensionless series, read with the Maximum statistic, is the largest lag
 * of any consumer, which is what the workers scale on.
 */
export function consumerLagDocuments(namespace: string, consumers: ConsumerLag[], timestamp: number): object[] {
  return consumers.map(({ group, lag }) => ({
    _aws: { Timestamp: timestamp, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [['Consumer'], []], Metrics: [{ Name: CONSUMER_LAG_METRIC, Unit: 'Count' }] }] },
    Consumer: group,
    [CONSUMER_LAG_METRIC]: lag,
  }));
}

/**
 * Every `seconds`, writes the consumers' lag as EMF lines (one JSON document
 * a line) until the returned stop is called. ECS's awslogs driver sends the
 * container's output to CloudWatch Logs, which turns these lines into
 * metrics; a failed read of the log is reported and the next interval tries
 * again.
 */
export function publishConsumerLag(
  consumers: () => Promise<ConsumerLag[]>,
  options: { namespace: string; seconds: number; write: (line: string) => void; onError: (error: unknown) => void },
): () => void {
  let reading = false;
  const publish = async () => {
    if (reading) return; // a slow log: the last read is still going
    reading = true;
    try {
      for (const document of consumerLagDocuments(options.namespace, await consumers(), Date.now())) options.write(`${JSON.stringify(document)}\n`);
    } finally {
      reading = false;
    }
  };
  const timer = setInterval(() => void publish().catch(options.onError), options.seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
