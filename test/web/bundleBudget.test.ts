import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebUi } from '../support/webUi';

/** The stated budget of the initial route's JavaScript, gzipped (docs/web.md). */
const BUDGET_BYTES = 250 * 1024;
/** The initial route (/) and the module of its view. */
const INITIAL_VIEW = 'src/views/Library.tsx';

/** One chunk as Vite's build manifest describes it. */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The chunks a module needs before it runs: itself and its static imports, recursively (dynamic imports wait until used). */
function loadedWith(manifest: Manifest, key: string, files = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return files;
  files.add(chunk.file);
  for (const imported of chunk.imports ?? []) loadedWith(manifest, imported, files);
  return files;
}

/**
 * The bundle budget, as CI checks it: the JavaScript that a first visit to
 * the library loads (the entry, its static imports, and the view's chunk
 * where the view is loaded lazily), gzipped as a server would send it.
 */
describe('the web bundle', () => {
  let web: Awaited<ReturnType<typeof buildWebUi>>;
  let manifest: Manifest;
  beforeAll(async () => {
    // What `npx vite build web` makes for users: vitest sets NODE_ENV=test, which Vite would build React's development files for.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    web = await buildWebUi().finally(() => (process.env.NODE_ENV = nodeEnv));
    manifest = JSON.parse(readFileSync(join(web.path, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  }, 120_000);
  afterAll(() => web?.remove());

  const initialFiles = () => {
    const [entry] = Object.keys(manifest).filter((key) => manifest[key]!.isEntry);
    return [...loadedWith(manifest, INITIAL_VIEW, loadedWith(manifest, entry!))].filter((file) => file.endsWith('.js'));
  };

  it(`keeps the initial route's JavaScript within ${BUDGET_BYTES / 1024} KB gzipped`, () => {
    const files = initialFiles();
    const gzipped = files.map((file) => gzipSync(readFileSync(join(web.path, file))).length);
    const total = gzipped.reduce((sum, size) => sum + size, 0);
    console.info(`initial route: ${files.length} chunk(s), ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)`);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('loads the collections views only when they are visited, in chunks of their own', () => {
    const initial = new Set(initialFiles());
    for (const view of ['src/views/Collections.tsx', 'src/views/Collection.tsx', 'src/views/Favourites.tsx']) {
      expect(manifest[view], view).toBeDefined();
      expect(initial.has(manifest[view]!.file), view).toBe(false);
    }
  });
});
