/** A consumer group and the events it has still to handle, as Lake.consumers() tells them. */
interface ConsumerLag {
  group: string;
  lag: number;
}

/** The metric infra/compute.ts scales the workers on and infra/alarms.ts alarms on. */
export const CONSUMER_LAG_METRIC = 'ConsumerLagEvents';

/** The Role dimension's one value: the consumers a processors worker runs (the processors, the pipeline runner), not the projections. */
export const WORKERS_ROLE = 'processors';

/**
 * One CloudWatch Embedded Metric Format document per consumer group: its lag
 * under the dimension Consumer, the same value under no dimension, and, for
 * the consumers the workers run, under Role=processors. EMF takes one value
 * per dimension key in a document, hence one per group. Read with the Maximum
 * statistic, the dimensionless series is the largest lag of any consumer
 * (what the operators' alarm watches), and the Role series the largest of
 * those more workers would shorten (what they scale on): `workerGroups`, the
 * groups of the processors and the pipeline runner; a projection in DynamoDB
 * or OpenSearch is folded by the `projections` role, not by them.
 */
export function consumerLagDocuments(namespace: string, consumers: ConsumerLag[], workerGroups: ReadonlySet<string>, timestamp: number): object[] {
  return consumers.map(({ group, lag }) => {
    const workers = workerGroups.has(group);
    const dimensions = workers ? [['Consumer'], [], ['Role']] : [['Consumer'], []];
    return {
      _aws: { Timestamp: timestamp, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: dimensions, Metrics: [{ Name: CONSUMER_LAG_METRIC, Unit: 'Count' }] }] },
      Consumer: group,
      ...(workers && { Role: WORKERS_ROLE }),
      [CONSUMER_LAG_METRIC]: lag,
    };
  });
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
  options: { namespace: string; workerGroups: ReadonlySet<string>; seconds: number; write: (line: string) => void; onError: (error: unknown) => void },
): () => void {
  let reading = false;
  const publish = async () => {
    if (reading) return; // a slow log: the last read is still going
    reading = true;
    try {
      for (const document of consumerLagDocuments(options.namespace, await consumers(), options.workerGroups, Date.now())) options.write(`${JSON.stringify(document)}\n`);
    } finally {
      reading = false;
    }
  };
  const timer = setInterval(() => void publish().catch(options.onError), options.seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
