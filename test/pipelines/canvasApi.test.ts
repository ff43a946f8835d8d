import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionFromText } from '../../processors/pipelines/definitionCheck';
import { DEFINITION_MAX_BYTES } from '../../schemas/pipelines';
import { addTestUser, adminApi, bearer } from '../support/principals';
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

  it('checks definitions only for those who may deploy them: the check reads collections and files a viewer may not know of', async () => {
    const viewer = await addTestUser(lake, 'vera', 'viewer');
    const answer = await api.inject({ method: 'POST', url: '/pipelines/check', payload: press(), headers: bearer(viewer) });
    expect(answer.statusCode).toBe(403);
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

  const check = async (definition: object) => (await api.inject({ method: 'POST', url: '/pipelines/check', payload: definition })).json();
  const deploy = (definition: object) => api.inject({ method: 'POST', url: '/pipelines', payload: definition });

  it('checks what deploying checks against the lake: a collection that is not there is a problem of the check too', async () => {
    const filed = { name: 'filed', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'file', type: 'add-to-collection', parameters: { collection: 'Nowhere' } }] };
    expect(await check(filed)).toEqual({ problems: ['nodes[0].parameters.collection: there is no collection named "Nowhere"'] });
    const refused = await deploy(filed);
    expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'INVALID_PIPELINE']);
  });

  it("checks a changed definition against the deployed version, as deploying does: not above it is a problem of the check too", async () => {
    const tagged = (description: string, version = 1) => ({ name: 'tagged', version, trigger: { on: 'manual' }, nodes: [{ id: 'note', type: 'set-metadata', parameters: { description } }] });
    expect((await deploy(tagged('first'))).statusCode).toBe(201);
    expect((await check(tagged('first'))).problems).toEqual([]);
    expect(await check(tagged('changed'))).toEqual({ problems: ['version: tagged is at version 1: a changed definition needs a version above it, not 1'] });
    expect((await deploy(tagged('changed'))).statusCode).toBe(409);
    expect((await check(tagged('changed', 2))).problems).toEqual([]);
  });

  it('refuses a watermark image that is not there or is no image, at the check and at deploy', async () => {
    const stamped = (image: string) => ({ ...press(), name: 'stamped', nodes: [{ ...press().nodes[0], parameters: { image, gravity: 'southeast', opacity: 0.6 } }, press().nodes[1]] });
    expect((await check(stamped('test/fixtures/pipelines/no-such-logo.png'))).problems).toEqual([expect.stringMatching(/^nodes\[0\]\.parameters\.image: the watermark image test\/fixtures\/pipelines\/no-such-logo\.png cannot be read: there is no such file/)]);
    expect((await check(stamped('package.json'))).problems).toEqual([expect.stringMatching(/^nodes\[0\]\.parameters\.image: the watermark image package\.json is not an image/)]);
    expect((await deploy(stamped('package.json'))).statusCode).toBe(400);
    expect((await check(press())).problems).toEqual([]);
  });

  it('answers a definition over the body limit with what a definition may be, not with advice on media', async () => {
    const huge = { ...press(), description: 'x'.repeat(DEFINITION_MAX_BYTES + 10) };
    const refused = await deploy(huge);
    expect([refused.statusCode, refused.json().error.code]).toEqual([413, 'TOO_LARGE']);
    expect(refused.json().error.message).toMatch(/: a pipeline definition is at most that/);
  });

  it('refuses a definition whose deployment would not fit a record of the log, though its text is under the limit', async () => {
    const node = (index: number) => ({ id: `n${index}`, type: 'set-metadata', parameters: { description: 'x'.repeat(9_800), title: 't'.repeat(300) } });
    const big = { name: 'big', version: 1, trigger: { on: 'manual' }, nodes: Array.from({ length: 100 }, (_, index) => node(index)) };
    expect(JSON.stringify(big).length).toBeLessThan(DEFINITION_MAX_BYTES);
    expect((await check(big)).problems).toEqual([expect.stringMatching(/^\(root\): the definition as stored, with its defaults filled in, makes a \d+-byte deployment event, over the 1000000 bytes a log record holds/)]);
    const refused = await deploy(big);
    expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'INVALID_PIPELINE']);
  });

  it('warns of a trigger on a pipeline that is not deployed, and deploys it all the same (pipelines may trigger each other)', async () => {
    const follower = { name: 'follower', version: 1, trigger: { on: 'pipeline', pipeline: 'leadr' }, nodes: [{ id: 'tag', type: 'set-metadata', parameters: { tags: ['after'] } }] };
    const checked = await check(follower);
    expect([checked.problems, checked.warnings]).toEqual([[], [expect.stringMatching(/^trigger\.pipeline: there is no pipeline "leadr" deployed yet/)]]);
    const deployed = await deploy(follower);
    expect([deployed.statusCode, deployed.json().warnings]).toEqual([201, checked.warnings]);
  });
});
