import type { PipelineNode } from '../../schemas/pipelines';

/**
 * The longest a node's retries may wait in all, its tries' own time aside.
 *
 * A node's retries wait inside the pipeline runner's consumer: while one
 * node waits, no other event of its partition is handled, for any pipeline
 * or asset. Thirty seconds is what a flaky service is given to come back (a
 * restart, a 429's window: default 3 tries, 500 ms doubling, wait 1.5 s);
 * every other pipeline of the partition stalls that long at worst. An
 * outage longer than that is better met by failing the execution and
 * running it again (a backfill tries failed assets again) than by holding
 * the whole runner. checkDefinition refuses a retry policy whose waits add
 * up to more; a definition deployed before this bound runs with its waits
 * cut to it (retryWaits).
 */
export const MAX_RETRY_WAIT_MS = 30_000;

/**
 * The longest one node may hold the runner in all, its tries and their
 * waits together: the schema's limit of one try (an hour, for a long
 * video's proxy). More tries of that length would stall every pipeline of
 * the partition for hours.
 */
export const MAX_NODE_HOLD_MS = 3_600_000;

/** The waits before the second and later tries as the policy asks: backoffMs, doubled before each further try. */
export const askedWaits = ({ attempts, backoffMs }: PipelineNode['retry']): number[] => Array.from({ length: attempts - 1 }, (_, index) => backoffMs * 2 ** index);

/** The waits a node's retries make: as asked, cut so that they add up to MAX_RETRY_WAIT_MS at most. */
export function retryWaits(policy: PipelineNode['retry']): number[] {
  let left = MAX_RETRY_WAIT_MS;
  return askedWaits(policy).map((wait) => {
    const cut = Math.min(wait, left);
    left -= cut;
    return cut;
  });
}

/** What is wrong with a node's retry and time limit, as a problem at its place, or nothing. */
export function retryProblems(node: Pick<PipelineNode, 'retry' | 'timeoutMs'>, place: string): string[] {
  const waits = askedWaits(node.retry).reduce((sum, wait) => sum + wait, 0);
  const problems: string[] = [];
  if (waits > MAX_RETRY_WAIT_MS) {
    problems.push(
      `${place}.retry: its waits add up to ${waits} ms (backoffMs ${node.retry.backoffMs}, doubled over ${node.retry.attempts} tries): ` +
        `at most ${MAX_RETRY_WAIT_MS} ms, as a node's retries hold the pipeline runner and every other pipeline waits meanwhile: fewer tries or a shorter backoffMs`,
    );
  }
  const hold = node.timeoutMs * node.retry.attempts + Math.min(waits, MAX_RETRY_WAIT_MS);
  if (hold > MAX_NODE_HOLD_MS) {
    problems.push(
      `${place}.timeoutMs: ${node.retry.attempts} tries of up to ${node.timeoutMs} ms each may hold the pipeline runner ${hold} ms: ` +
        `at most ${MAX_NODE_HOLD_MS} ms in all, tries and waits together: fewer tries or a shorter timeoutMs`,
    );
  }
  return problems;
}
