/**
 * Whether a suite's engine is here. A missing one fails the test file under
 * CI (a setup bug, never a reason to go green) and is skipped with a clear
 * message elsewhere; use the result with describe.skipIf.
 */
export function engineAvailable(engine: string, present: boolean, install: string): boolean {
  if (present) return true;
  const message = `${engine} is missing: ${install}`;
  if (process.env.CI) throw new Error(message);
  console.warn(`[skipped] tests on ${engine}. ${message}`);
  return false;
}
