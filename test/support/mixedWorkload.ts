import { copyFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Lake } from '../../app/lake';
import { ingestDirectory } from '../../producers/directory';
import { ingestFile } from '../../producers/ingest';
import { deleteAsset, updateUserMetadata } from '../../producers/commands';
import { requestReprocessing } from '../../producers/reprocess';
import { fixture, temporaryDirectory } from './fixtures';
import { ingestContext } from './lake';

const FILES = [
  'jpg/Canon_40D.jpg',
  'jpg/Nikon_D70.jpg',
  'jpg/Pentax_K10D.jpg',
  'jpg/Sony_HDR-HC3.jpg',
  'jpg/Kodak_CX7530.jpg',
  'jpg/gps/DSCN0010.jpg',
  'jpg/corrupted.jpg',
  'jpg/invalid/image00971.jpg',
];

export interface Workload {
  /** Asset id by file name (Canon_40D.jpg, empty.jpg, notes.txt, …). */
  ids: Record<string, string>;
  remove(): void;
}

/**
 * What a library goes through, on real files: ingests by alice (real photos,
 * a corrupted and an invalid JPEG, an empty file, a text file), edits by bob
 * (quotes, commas, a newline), deletes by carol, the re-ingest of a deleted
 * photo, and reprocessing by dave; processors and projections running.
 */
export async function mixedWorkload(lake: Lake): Promise<Workload> {
  const folder = temporaryDirectory('medialake-workload-');
  for (const file of FILES) copyFileSync(fixture(file), join(folder.path, basename(file)));
  writeFileSync(join(folder.path, 'empty.jpg'), '');
  writeFileSync(join(folder.path, 'notes.txt'), 'not an image, but a file a library may hold\n');
  lake.start();
  await ingestDirectory(ingestContext(lake, 'alice'), folder.path);
  await lake.waitForIdle({ timeoutMs: 60_000 });
  const { assets } = await lake.records.list({ limit: 100 });
  const ids = Object.fromEntries(assets.map((a) => [a.originalName, a.assetId]));

  const command = (actor: string) => ({ log: lake.log, actor, source: 'api', correlationId: `${actor}-session` });
  await updateUserMetadata(command('bob'), ids['Canon_40D.jpg']!, { title: 'Harbour, at "dusk"', tags: ['sea', 'boats'] });
  await updateUserMetadata(command('bob'), ids['Nikon_D70.jpg']!, { description: 'first line\nsecond line, with a comma' });
  await deleteAsset(command('carol'), ids['Pentax_K10D.jpg']!, 'a duplicate of the Sony shot');
  await deleteAsset(command('carol'), ids['Sony_HDR-HC3.jpg']!);
  await lake.waitForIdle({ timeoutMs: 60_000 });

  const pentax = join(folder.path, 'Pentax_K10D.jpg');
  await ingestFile(ingestContext(lake, 'alice'), pentax, { kind: 'directory', path: pentax }, 'Pentax_K10D.jpg');
  await requestReprocessing(
    { ...command('dave'), source: 'cli', records: lake.records, processors: lake.processors },
    { assetIds: [ids['Canon_40D.jpg']!, ids['corrupted.jpg']!], processors: ['metadata'], reason: 'metadata fix' },
  );
  await lake.waitForIdle({ timeoutMs: 60_000 });
  return { ids, remove: folder.remove };
}
