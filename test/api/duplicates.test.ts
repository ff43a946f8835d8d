import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { ingestDirectory } from '../../producers/directory';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { adminApi } from '../support/principals';
import { expectApiError } from './http';

type Group = { groupId: string; assets: { originalName: string }[] };

/** GET /duplicates over two groups: a photo and a smaller copy of it, twice. */
describe('the near-duplicate groups, page by page', () => {
  const folder = temporaryDirectory();
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;

  beforeAll(async () => {
    for (const [name, source] of [['canon.jpg', 'jpg/Canon_40D.jpg'], ['nikon.jpg', 'jpg/Nikon_D70.jpg']] as const) {
      copyFileSync(fixture(source), join(folder.path, name));
      await sharp(fixture(source)).resize({ width: 200 }).jpeg({ quality: 60 }).toFile(join(folder.path, `small-${name}`));
    }
    lake = await openTestLake();
    lake.start();
    await ingestDirectory(ingestContext(lake), folder.path);
    await lake.waitForIdle({ timeoutMs: 60_000 });
    ({ app } = await adminApi(lake));
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
    folder.remove();
  });

  it('pages through every group with the cursor each page returns', async () => {
    const first = (await app.inject('/duplicates?limit=1')).json();
    expect(first.groups).toHaveLength(1);
    expect(first.next).toEqual(expect.any(String));
    const second = (await app.inject(`/duplicates?limit=1&after=${first.next}`)).json();
    expect(second.next).toBeUndefined();
    const names = [...first.groups, ...second.groups].map((group: Group) => group.assets.map((asset) => asset.originalName).sort());
    expect(names.sort()).toEqual([
      ['canon.jpg', 'small-canon.jpg'],
      ['nikon.jpg', 'small-nikon.jpg'],
    ]);
  });

  it.each(['garbage', '0', 'zzz', 'YQ', '%2F%2F'])('refuses the cursor %s with 400 INVALID_CURSOR, as /assets and /audit do', async (after) => {
    const response = await app.inject(`/duplicates?after=${after}`);
    expect(response.statusCode).toBe(400);
    expectApiError(response.json(), 'INVALID_CURSOR');
  });

  it('refuses a group id given as the cursor: a cursor is what a page returned, not a name', async () => {
    const [group] = (await app.inject('/duplicates')).json().groups as Group[];
    const response = await app.inject(`/duplicates?after=${group!.groupId}`);
    expect(response.statusCode).toBe(400);
    expectApiError(response.json(), 'INVALID_CURSOR');
  });
});
