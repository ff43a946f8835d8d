import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** CloudWatch keeps logs for one of a fixed set of periods: the shortest that covers the days asked for. */
export function logRetention(days: number): RetentionDays {
  const periods = Object.values(RetentionDays).filter((value): value is RetentionDays => typeof value === 'number' && value > 0).sort((a, b) => a - b);
  return periods.find((period) => period >= days) ?? RetentionDays.INFINITE;
}
