import type { AssetRecord } from '../api/types';

/** Why an asset is failed or degraded: its processors' failures, one line each. */
export const failureReason = (record: Pick<AssetRecord, 'failures'>) =>
  record.failures.map((failure) => `${failure.processor.replace(/^processor:/, '')}: ${failure.message}`).join('\n');

/** Nothing for a ready asset; otherwise its status, with the reason when processing failed. */
export function StatusBadge({ record }: { record: Pick<AssetRecord, 'status' | 'failures'> }) {
  if (record.status === 'ready') return null;
  const reason = failureReason(record);
  return (
    <span className={`badge badge-${record.status}`} title={reason || undefined} data-status={record.status}>
      {record.status}
      {reason && <span className="reason">{reason}</span>}
    </span>
  );
}
