/**
 * The WebAssembly the lake ships, compiled from its text sources with wabt:
 * each `.wat` listed here becomes the `.wasm` beside it. Run after changing
 * one: npm run wasm (test/projections/memoryHashes.test.ts fails while a
 * committed binary differs from its source).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

export const WAT_SOURCES = [fileURLToPath(new URL('../projections/duplicates/closeEntries.wat', import.meta.url))];

/** Where a source's binary goes. */
export const binaryOf = (source: string) => source.replace(/\.wat$/, '.wasm');

/** The binary of a `.wat` file. */
export async function compileWat(source: string): Promise<Uint8Array> {
  const wabt = await initWabt();
  const module = wabt.parseWat(source, readFileSync(source, 'utf8'));
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const source of WAT_SOURCES) writeFileSync(binaryOf(source), await compileWat(source));
}
