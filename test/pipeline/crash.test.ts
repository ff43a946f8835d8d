import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, temporaryDirectory } from '../support/fixtures';

const CLI = fileURLToPath(new URL('../../bin/medialake.js', import.meta.url));
const FILES = 240;

function ingest(source: string, data: string): ChildProcess {
  return spawn(process.execPath, [CLI, 'ingest', source, '--wait', '--data', data], {
    env: { ...process.env, MEDIALAKE_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function countEvents(data: string, type: string): number {
  try {
    const db = new Database(join(data, 'log.db'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM events WHERE type = ?').get(type) as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet
  }
}

describe('a SIGKILL in the middle of a large ingest', () => {
  const source = temporaryDirectory();
  const data = temporaryDirectory();
  afterAll(() => {
    source.remove();
    data.remove();
  });

  it('ends, after a restart, with every file exactly once and exactly one set of renditions each', async () => {
    // Distinct files: the same image with a different trailer is different bytes, a different asset.
    const image = readFileSync(fixture('jpg/orientation/landscape_3.jpg'));
    mkdirSync(join(source.path, 'batch'));
    for (let i = 0; i < FILES; i++) writeFileSync(join(source.path, 'batch', `photo-${i}.jpg`), Buffer.concat([image, Buffer.from(`#${i}`)]));

    const first = ingest(source.path, data.path);
    const exited = new Promise((resolve) => first.once('exit', resolve));
    // Kill once ingest and processing are both under way, neither finished.
    const deadline = Date.now() + 60_000;
    while (countEvents(data.path, 'RenditionCreated') < 20 && Date.now() < deadline) await sleep(20);
    first.kill('SIGKILL');
    await exited;
    const ingestedBeforeKill = countEvents(data.path, 'AssetIngested');
    expect(ingestedBeforeKill).toBeGreaterThan(0);
    expect(countEvents(data.path, 'RenditionCreated')).toBeLessThan(2 * FILES);

    const second = ingest(source.path, data.path);
    let output = '';
    second.stdout!.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => second.once('exit', resolve));
    expect(code).toBe(0);
    expect(output).toContain(`ingested ${FILES - ingestedBeforeKill}, duplicates ${ingestedBeforeKill}, failed 0`);

    const db = new Database(join(data.path, 'log.db'), { readonly: true });
    // The default pipelines' deployments are under subjects of their own, not assets.
    const perAsset = db
      .prepare(
        `SELECT asset_id, sum(type = 'AssetIngested') AS ingested,
                sum(type = 'RenditionCreated' AND json_extract(payload, '$.name') = 'thumbnail') AS thumbnails,
                sum(type = 'RenditionCreated' AND json_extract(payload, '$.name') = 'proxy') AS proxies,
                sum(type = 'TechnicalMetadataExtracted') AS metadata
         FROM events WHERE asset_id NOT LIKE 'pipeline-%' GROUP BY asset_id`,
      )
      .all() as { ingested: number; thumbnails: number; proxies: number; metadata: number }[];
    db.close();
    expect(perAsset).toHaveLength(FILES);
    expect(perAsset.every((a) => a.ingested === 1 && a.thumbnails === 1 && a.proxies === 1 && a.metadata === 1)).toBe(true);
    const assets = new Database(join(data.path, 'assets.db'), { readonly: true });
    expect(assets.prepare("SELECT count(*) AS n FROM assets WHERE status = 'ready'").get()).toEqual({ n: FILES });
    assets.close();
    // One stored rendition object per rendition event: nothing doubled. A write the kill cut short
    // stays in objects/.partial, which the store never lists or serves, until it is swept.
    const renditionDirs = readdirSync(join(data.path, 'objects', 'renditions'));
    expect(renditionDirs).toHaveLength(FILES);
    for (const dir of renditionDirs) {
      const objects = readdirSync(join(data.path, 'objects', 'renditions', dir));
      expect(objects.sort()).toEqual(['proxy.jpg', 'thumbnail.webp']);
    }
  }, 240_000);
});
