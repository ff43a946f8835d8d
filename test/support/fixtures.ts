import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real-world images in test/fixtures/images (read-only; origin and licence in its README). */
export const EXIF_SAMPLES = fileURLToPath(new URL('../fixtures/images/', import.meta.url));
export const fixture = (relative: string) => join(EXIF_SAMPLES, relative);

/** The tiny random CLIP model (test/fixtures/tiny-clip/README.md): real code path, meaningless vectors. */
export const TINY_CLIP = fileURLToPath(new URL('../fixtures/tiny-clip', import.meta.url));

/** A fresh temporary directory, removed by the returned function. */
export function temporaryDirectory(prefix = 'medialake-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
