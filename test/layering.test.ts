import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The project's own TypeScript, as tsconfig.json includes it. */
const FOLDERS = ['schemas', 'log', 'storage', 'producers', 'processors', 'projections', 'api', 'cli', 'app', 'infra', 'scripts', 'bench', 'test'];

/** A violation as one line: the import, or the loop of imports, that breaks the rule. */
function importsOf(violation: IViolation): string {
  const path = violation.cycle?.length ? [violation.from, ...violation.cycle.map((step) => step.name)] : [violation.from, violation.to];
  return path.join(' → ');
}

describe('the layering (.dependency-cruiser.cjs)', () => {
  let result: ICruiseResult;
  let why: Map<string, string>;

  beforeAll(async () => {
    const options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
    const tsConfig = extractTSConfig(join(ROOT, 'tsconfig.json'));
    result = (await cruise(FOLDERS, { ...options, baseDir: ROOT }, undefined, { tsConfig })).output as ICruiseResult;
    why = new Map((options.ruleSet?.forbidden ?? []).map((rule) => [rule.name ?? '', rule.comment ?? '']));
  }, 60_000);

  /** Fails with every violation of the rule on a line of its own, and what to do about them. */
  function expectNoViolationOf(rule: string): void {
    const found = result.summary.violations.filter((violation) => violation.rule.name === rule).map(importsOf);
    if (found.length) expect.fail(`${found.length} violations of ${rule}:\n  ${found.join('\n  ')}\n${why.get(rule)}`);
  }

  it('reads every folder of the project', () => {
    const folders = new Set(result.modules.map((module) => module.source.split('/')[0]));
    expect([...folders].sort()).toEqual([...FOLDERS].sort());
    expect(why.has('no-circular') && why.has('data-path-imports-no-app')).toBe(true);
  });

  it('has no circular imports', () => {
    expectNoViolationOf('no-circular');
  });

  it('keeps the data path (schemas log storage producers processors projections) from importing app/', () => {
    expectNoViolationOf('data-path-imports-no-app');
  });
});
