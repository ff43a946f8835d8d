/**
 * The web UI's API types (web/src/api/schema.d.ts), generated from the
 * server's OpenAPI document, built without listening. Regenerate after a
 * route changes: npx tsx scripts/webApiTypes.ts (test/web/apiTypes.test.ts
 * fails while the committed file is stale).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildServer } from '../api/server';
import { loadConfig } from '../app/config';
import { openLake, type Lake } from '../app/lake';

export const WEB_API_TYPES = fileURLToPath(new URL('../web/src/api/schema.d.ts', import.meta.url));

const HEADER = '// Generated from the OpenAPI document by scripts/webApiTypes.ts: do not edit.\n\n';

/** The TypeScript of the API's paths as a lake's server documents them. */
export async function webApiTypes(lake: Lake): Promise<string> {
  const app = await buildServer(lake);
  try {
    await app.ready();
    const document = app.swagger() as Parameters<typeof openapiTS>[0];
    return HEADER + astToString(await openapiTS(document));
  } finally {
    await app.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const data = mkdtempSync(join(tmpdir(), 'medialake-openapi-'));
  const lake = await openLake(loadConfig({ data, logLevel: 'silent' }, {}));
  try {
    writeFileSync(WEB_API_TYPES, await webApiTypes(lake));
  } finally {
    await lake.close();
    rmSync(data, { recursive: true, force: true });
  }
}
