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
