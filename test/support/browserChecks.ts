import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Where browser tests leave their screenshots: ignored by git, kept by CI as an artifact. */
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'web-screenshots');

/** Saves what the page shows as test-results/web-screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** axe-core's browser build, evaluated in the page: the API's Content-Security-Policy refuses inline scripts (page.addScriptTag), and that policy stays on. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What axe-core reports of one rule, as much as a failing test needs to say. */
export interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/**
 * axe-core's WCAG 2 A/AA rules (and its best practices) run in the page as
 * it is: the serious and critical violations, which the tests require to be
 * none. Lesser ones (moderate, minor) are reported by axe but not failed on.
 */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as AxeResult;
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(({ id, impact, help, nodes }) => ({ id, impact: impact!, help, targets: nodes.map((node) => node.target.join(' ')) }));
}
