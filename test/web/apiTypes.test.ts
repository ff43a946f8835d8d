import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_API_TYPES, webApiTypes } from '../../scripts/webApiTypes';
import { openTestLake } from '../support/lake';

describe("the web UI's API types", () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  beforeAll(async () => {
    lake = await openTestLake();
  });
  afterAll(() => lake?.close());

  it('are those the OpenAPI document gives today (else run npx tsx scripts/webApiTypes.ts)', async () => {
    const generated = await webApiTypes(lake);
    expect(generated).toContain('"/assets/{id}"');
    expect(readFileSync(WEB_API_TYPES, 'utf8') === generated, 'web/src/api/schema.d.ts is stale: run npx tsx scripts/webApiTypes.ts').toBe(true);
  });
});
