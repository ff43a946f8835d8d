import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionFromText } from '../../processors/pipelines/definitionCheck';
import { adminApi } from '../support/principals';
import { openTestLake } from '../support/lake';

const press = () => definitionFromText(readFileSync(join(import.meta.dirname, '../fixtures/pipelines/press.yaml'), 'utf8')) as Record<string, any>;

/** What the canvas reads and asks of the API beside deploy: the parameters' JSON Schema, and a check that deploys nothing. */
describe('the pipeline routes the canvas uses', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let api: Awaited<ReturnType<typeof adminApi>>['app'];

  beforeAll(async () => {
    lake = await openTestLake();
    ({ app: api } = await adminApi(lake));
  });
  afterAll(async () => {
    await api?.close();
    await lake?.close();
  });

  it("lists each node type's parameters as JSON Schema: types, bounds, enums with defaults, and what is required", async () => {
    const { nodes } = (await api.inject({ method: 'GET', url: '/pipelines/catalogue' })).json();
    const rendition = nodes.find((node: { type: string }) => node.type === 'rendition');
    expect(rendition.parameters).toMatchObject({
      type: 'object',
      required: ['name', 'size'],
      properties: { size: { type: 'integer', minimum: 16, maximum: 8192 }, format: { enum: ['jpeg', 'webp', 'png'], default: 'jpeg' } },
    });
  });

  it('checks a definition without deploying it: the problems name their place, and a sound one comes back as it would be stored', async () => {
    const broken = press();
    broken.nodes[1].parameters.size = 0;
    const refused = await api.inject({ method: 'POST', url: '/pipelines/check', payload: broken });
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toEqual({ problems: [expect.stringMatching(/^nodes\[1\]\.parameters\.size: Too small/)] });

    const accepted = (await api.inject({ method: 'POST', url: '/pipelines/check', payload: press() })).json();
    expect(accepted.problems).toEqual([]);
    expect(accepted.definition.nodes[1]).toMatchObject({ parameters: { size: 2048, quality: 82 }, retry: { attempts: 2, backoffMs: 100 } });
    const listed = (await api.inject({ method: 'GET', url: '/pipelines' })).json() as { pipelines: { name: string }[] };
    expect(listed.pipelines.map((pipeline) => pipeline.name)).not.toContain('press');
  });
});
