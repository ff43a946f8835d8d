export interface Side {
  label: string;
  /** One run, returning units per second. */
  run: () => Promise<number>;
}

/**
 * Measures the subject against its baseline in the same run: the two
 * alternate, twice, and each keeps its best, so warm-up and a busy neighbour
 * hit both alike. Then prints both rates and the ratio.
 */
export async function compare(name: string, subject: Side, baseline: Side, goal?: number): Promise<number> {
  const best = { subject: 0, baseline: 0 };
  for (let round = 0; round < 2; round++) {
    best.baseline = Math.max(best.baseline, await baseline.run());
    best.subject = Math.max(best.subject, await subject.run());
  }
  report(name, { label: subject.label, perSecond: best.subject }, { label: baseline.label, perSecond: best.baseline }, goal);
  return best.subject / best.baseline;
}

/** How each benchmark prints: the measured rates, and their ratio against the baseline of the same run. */
export function report(name: string, subject: { label: string; perSecond: number }, baseline: { label: string; perSecond: number }, goal?: number): void {
  const ratio = subject.perSecond / baseline.perSecond;
  const verdict = goal === undefined ? '' : ratio >= goal ? `  (goal ≥ ${goal}: met)` : `  (goal ≥ ${goal}: NOT met)`;
  console.log(`${name}
  ${subject.label.padEnd(44)} ${subject.perSecond.toFixed(1).padStart(12)} /s
  ${baseline.label.padEnd(44)} ${baseline.perSecond.toFixed(1).padStart(12)} /s
  ratio ${ratio.toFixed(3)}${verdict}`);
}

/** Runs `work` and returns how many units per second it did. */
export async function rate(units: number, work: () => Promise<void> | void): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return units / (Number(process.hrtime.bigint() - start) / 1e9);
}
