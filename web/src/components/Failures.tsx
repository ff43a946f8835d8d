import { useState } from 'react';
import { busyMarks, useOneAtATime } from '../api/oneAtATime';
import { processorName, reprocess } from '../api/reprocess';
import type { AssetRecord } from '../api/types';

/** Why processing failed, processor by processor, as the failure events said; and, to those who may reprocess (admins), a button to run those processors again. */
export function Failures({ record, mayReprocess }: { record: AssetRecord; mayReprocess: boolean }) {
  const [outcome, setOutcome] = useState<string>();
  const { busy, run } = useOneAtATime();
  if (!record.failures.length) return null;
  const again = () =>
    reprocess(record.assetId, [...new Set(record.failures.map((failure) => processorName(failure.processor)))], 'from the asset view').then(
      (eventId) => setOutcome(`Reprocessing requested (${eventId.slice(0, 8)}).`),
      (failure: Error) => setOutcome(failure.message),
    );
  return (
    <section aria-label="Processing failures" className="failures" data-testid="failures">
      <h3>What failed</h3>
      <ul>
        {record.failures.map((failure) => (
          <li key={`${failure.processor}:${failure.code}`}>
            <strong>{failure.processor.replace(/^processor:/, '')}</strong>: {failure.message} <span className="note">({failure.code})</span>
          </li>
        ))}
      </ul>
      {mayReprocess && (
        <>
          <button type="button" {...busyMarks(busy)} onClick={() => void run(again)}>
            Reprocess
          </button>{' '}
          <span role="status">{outcome}</span>
        </>
      )}
    </section>
  );
}
