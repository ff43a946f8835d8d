import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { buildServer } from '../../api/server';
import { addTestUser, adminApi, bearer } from '../support/principals';
import { loadConfig } from '../../app/config';
import { openLake, type Lake } from '../../app/lake';
import { pipelineCommands } from '../../app/pipelineCommands';
import { ingestFile } from '../../producers/ingest';
import { deployPipeline, requestPipelineRuns } from '../../producers/pipelines';
import type { StoredEvent } from '../../schemas/envelope';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext } from '../support/lake';
import { expectSecretNowhere } from '../support/secretHygiene';

const SECRET = 'sk-partner-7f3a9c1e5b';
const HOOK_SECRET = 'hook-secret-42';
/** A secret stored over two lines, which no header can carry (fetch's refusal quotes the value it refuses). */
const TWO_LINE_SECRET = 'line-one-SECRET\nline-two-SECRET';
/** A secret with characters JSON escapes, echoed in a JSON body. */
const ODD_SECRET = 'sk"odd\\key-19';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  text: string;
  body: Record<string, unknown>;
}

/** A partner's service, on this machine: /tag answers a caption and labels, /broken a 500 that echoes the key it got, /echo the key in a page, /hook a 503 the first time. */
function partnerService(received: Received[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      received.push({ path: request.url!, headers: request.headers, text, body: JSON.parse(text) });
      if (request.url === '/hook') return response.writeHead(received.filter((r) => r.path === '/hook').length === 1 ? 503 : 204).end();
      if (request.url === '/echo') return response.writeHead(200, { 'content-type': 'text/html' }).end(`<html>your key: ${request.headers['x-api-key']}</html>`);
      if (request.url === '/json-echo') return response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'bad key', got: request.headers['x-api-key'] }));
      if (request.url === '/tag') return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ caption: 'A harbour at dawn', labels: ['boat', 'sea'] }));
      response.writeHead(500).end(`upstream exploded while using ${request.headers['x-api-key']}`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

/** HTTP nodes against a local service, a pipeline triggered by another's end, and the inbound webhook, on a real lake. */
describe('HTTP nodes, chained pipelines and the webhook trigger', () => {
  const directory = temporaryDirectory('medialake-lake-');
  const received: Received[] = [];
  const logLines: string[] = [];
  let partner: { server: Server; url: string };
  let lake: Lake;
  let assetId: string;
  let api: Awaited<ReturnType<typeof buildServer>>;

  const events = async () => lake.log.readAsset(assetId);
  const pipeline = (definition: object) => deployPipeline(pipelineCommands(lake, 'tester', 'cli'), definition);

  beforeAll(async () => {
    partner = await partnerService(received);
    writeFileSync(join(directory.path, 'secrets.json'), JSON.stringify({ 'partner-key': SECRET, 'hook-secret': HOOK_SECRET, 'quoted-key': ODD_SECRET, 'two-lines': TWO_LINE_SECRET }), { mode: 0o600 });
    const config = loadConfig({ data: directory.path, logLevel: 'debug', 'log.sync': 'normal' }, {});
    lake = await openLake(config, pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }));
    lake.start();
    ({ app: api } = await adminApi(lake));
    const secretHeader = { secret: 'partner-key', header: 'X-Api-Key', scheme: '' };
    await pipeline({
      name: 'tagger', version: 1,
      trigger: { on: 'asset', filter: { mediaType: ['image'] } },
      nodes: [{ id: 'tag', type: 'http', parameters: { url: `${partner.url}/tag`, ...secretHeader, map: { title: 'caption', tags: 'labels' } } }],
      emits: ['nodes.tag.status'],
    });
    await pipeline({
      name: 'after-tagger', version: 1,
      trigger: { on: 'pipeline', pipeline: 'tagger', status: 'completed' },
      nodes: [{ id: 'note', type: 'set-metadata', parameters: { description: 'tagged by the partner' } }],
    });
    await pipeline({
      name: 'broken', version: 1,
      trigger: { on: 'manual' },
      nodes: [{ id: 'call', type: 'http', parameters: { url: `${partner.url}/broken`, ...secretHeader }, retry: { attempts: 3, backoffMs: 10 } }],
    });
    await pipeline({ name: 'json-echo', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'call', type: 'http', parameters: { url: `${partner.url}/json-echo`, secret: 'quoted-key', header: 'X-Api-Key', scheme: '' }, retry: { attempts: 1, backoffMs: 0 } }] });
    await pipeline({ name: 'echo', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'call', type: 'http', parameters: { url: `${partner.url}/echo`, ...secretHeader } }] });
    await pipeline({ name: 'two-lines', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'call', type: 'http', parameters: { url: `${partner.url}/tag`, secret: 'two-lines' }, retry: { attempts: 1, backoffMs: 0 } }] });
    await pipeline({
      name: 'notify', version: 1,
      trigger: { on: 'pipeline', pipeline: 'tagger' },
      nodes: [{ id: 'tell', type: 'publish-event', parameters: { url: `${partner.url}/hook`, secret: 'hook-secret', event: 'asset.tagged' }, retry: { attempts: 3, backoffMs: 10 } }],
    });
    await pipeline({
      name: 'canon', version: 1,
      trigger: { on: 'asset', event: 'metadata', filter: { mediaType: ['image'], metadata: [{ path: 'metadata.make', equals: 'Canon' }] } },
      nodes: [
        { id: 'small', type: 'rendition', parameters: { name: 'canon-small', size: 64, format: 'webp' } },
        { id: 'hash', type: 'perceptual-hash' },
        { id: 'huge', type: 'rendition', parameters: { name: 'canon-huge', size: 4096 } },
      ],
      edges: [{ from: 'small', to: 'huge', when: { path: 'asset.size', greaterThan: 1e9 } }],
    });
    await pipeline({
      name: 'nikon', version: 1,
      trigger: { on: 'asset', event: 'metadata', filter: { metadata: [{ path: 'metadata.make', equals: 'NIKON CORPORATION' }] } },
      nodes: [{ id: 'note', type: 'set-metadata', parameters: { tags: ['nikon'] } }],
    });
    await pipeline({ name: 'hook', version: 1, trigger: { on: 'webhook', secret: 'hook-secret' }, nodes: [{ id: 'tags', type: 'set-metadata', parameters: { tags: ['from-webhook'] } }] });
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const result = await ingestFile(ingestContext(lake), fixture('jpg/Canon_40D.jpg'), { kind: 'upload' }, 'harbour.jpg');
    assetId = (result as { assetId: string }).assetId;
    await lake.waitForIdle({ timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await api?.close();
    await lake?.close();
    partner?.server.close();
    directory.remove();
  });

  it('calls the service with the secret in its header and the asset, and maps the answer into user metadata', async () => {
    const [call] = received.filter((r) => r.path === '/tag');
    expect(call!.headers['x-api-key']).toBe(SECRET);
    expect(call!.body).toMatchObject({ assetId, originalName: 'harbour.jpg', mimeType: 'image/jpeg', url: expect.stringMatching(/^file:\/\//) });
    const record = await lake.records.get(assetId);
    expect([record!.user.title, record!.user.tags]).toEqual(['A harbour at dawn', ['boat', 'sea']]);
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'tagger' });
    expect(execution).toMatchObject({ status: 'completed', outputs: { 'nodes.tag.status': 200 } });
  });

  it("runs a pipeline triggered by another's completion after it", async () => {
    const history = await events();
    const finished = history.find((e) => e.type === 'PipelineExecutionFinished' && e.payload.pipeline === 'tagger')!;
    const started = history.find((e) => e.type === 'PipelineExecutionStarted' && e.payload.pipeline === 'after-tagger') as StoredEvent<'PipelineExecutionStarted'>;
    expect(started.payload.trigger).toEqual({ kind: 'pipeline', eventId: finished.id });
    expect(started.assetVersion).toBeGreaterThan(finished.assetVersion);
    expect((await lake.records.get(assetId))!.user.description).toBe('tagged by the partner');
  });

  it('publishes an event to a webhook, signed with the HMAC of its body, retried after a 503', async () => {
    const calls = received.filter((r) => r.path === '/hook');
    expect(calls).toHaveLength(2);
    const expected = `sha256=${createHmac('sha256', HOOK_SECRET).update(calls[1]!.text).digest('hex')}`;
    expect(calls[1]!.headers['x-medialake-signature']).toBe(expected);
    expect(calls[1]!.body).toMatchObject({ event: 'asset.tagged', assetId });
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'notify' });
    expect((await lake.pipelines.history.execution(execution!.executionId))!.nodes).toMatchObject([{ node: 'tell', status: 'succeeded', attempts: 2 }]);
  });

  it('filters on technical metadata, runs unconnected nodes side by side and skips a node whose condition fails', async () => {
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'canon' });
    expect(execution!.trigger.kind).toBe('asset');
    const nodes = (await lake.pipelines.history.execution(execution!.executionId))!.nodes;
    expect(Object.fromEntries(nodes.map((n) => [n.node, n.status]))).toEqual({ small: 'succeeded', hash: 'succeeded', huge: 'skipped' });
    const record = await lake.records.get(assetId);
    expect(record!.renditions['canon-small']).toMatchObject({ mimeType: 'image/webp', width: 64 });
    expect(record!.renditions['canon-huge']).toBeUndefined();
    expect(await lake.pipelines.history.executions({ pipeline: 'nikon' })).toEqual([]);
  });

  it('retries a 500, then fails the execution with the status, and no body as the call sent a secret', async () => {
    await requestPipelineRuns(pipelineCommands(lake, 'tester', 'cli'), 'broken', [assetId], 'manual');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect(received.filter((r) => r.path === '/broken')).toHaveLength(3);
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'broken' });
    expect(execution).toMatchObject({ status: 'failed', failedNode: 'call', trigger: { kind: 'manual' } });
    expect(execution!.error).toEqual({ code: 'HTTP_STATUS', message: `POST ${partner.url}/broken answered 500`, status: 500, body: expect.stringMatching(/^\(not kept: the call sent the secret partner-key/) });
    const detail = await lake.pipelines.history.execution(execution!.executionId);
    expect(detail!.nodes).toMatchObject([{ node: 'call', status: 'failed', attempts: 3 }]);
    const response = await api.inject({ method: 'GET', url: '/status' });
    expect(response.json().pipelines.failed).toMatchObject([{ pipeline: 'broken', executionId: execution!.executionId }]);
  });

  it('keeps no body of a call that sent a secret, though the service answered 200 with a body that is no JSON', async () => {
    await requestPipelineRuns(pipelineCommands(lake, 'tester', 'cli'), 'echo', [assetId], 'manual');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'echo' });
    expect(execution!.error).toMatchObject({ code: 'HTTP_NOT_JSON', status: 200, body: expect.stringMatching(/^\(not kept/) });
    expect(JSON.stringify(await lake.log.readAsset(assetId))).not.toContain(SECRET);
  });

  it('keeps no echo of a secret in any encoding: one JSON escapes, echoed in a JSON body', async () => {
    await requestPipelineRuns(pipelineCommands(lake, 'tester', 'cli'), 'json-echo', [assetId], 'manual');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'json-echo' });
    expect(execution).toMatchObject({ status: 'failed', error: { code: 'HTTP_STATUS', status: 500 } });
    expect(execution!.error!.body).not.toContain('odd');
    const logged = JSON.stringify(await lake.log.readAsset(assetId)) + logLines.join('');
    for (const form of [ODD_SECRET, JSON.stringify(ODD_SECRET).slice(1, -1), encodeURIComponent(ODD_SECRET), 'odd\\\\key']) expect(logged).not.toContain(form);
  });

  it('sends no secret a header cannot carry, and says so without its value; refuses a header name or scheme fetch would refuse, before deploy', async () => {
    await requestPipelineRuns(pipelineCommands(lake, 'tester', 'cli'), 'two-lines', [assetId], 'manual');
    await lake.waitForIdle({ timeoutMs: 30_000 });
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'two-lines' });
    expect(execution).toMatchObject({ status: 'failed', error: { code: 'SECRET_NOT_A_HEADER', message: expect.stringContaining('the secret two-lines cannot be sent in a header') } });
    const logged = JSON.stringify(await lake.log.readAsset(assetId)) + logLines.join('');
    for (const part of TWO_LINE_SECRET.split('\n')) expect(logged).not.toContain(part);
    for (const parameters of [{ header: 'Bad Header:' }, { scheme: 'Bearer\n' }]) {
      const refused = await pipeline({ name: 'bad-header', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'call', type: 'http', parameters: { url: `${partner.url}/tag`, secret: 'partner-key', ...parameters } }] }).catch((error: Error) => error);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toMatch(/nodes\[0\]\.parameters\.(header|scheme)/);
    }
  });

  it('runs a webhook pipeline only for the right shared secret', async () => {
    const call = (secret: string) => api.inject({ method: 'POST', url: '/pipelines/hook/webhook', headers: { 'x-medialake-secret': secret }, payload: { assetIds: [assetId] } });
    const refused = await call('guess');
    expect([refused.statusCode, refused.json().error.code]).toEqual([401, 'BAD_SECRET']);
    // Without the secret a caller learns nothing of which pipelines there are, or which have a webhook.
    for (const name of ['no-such-pipeline', 'broken']) {
      const unknown = await api.inject({ method: 'POST', url: `/pipelines/${name}/webhook`, headers: { 'x-medialake-secret': 'guess' }, payload: { assetIds: [assetId] } });
      expect([unknown.statusCode, unknown.json().error]).toEqual([401, refused.json().error]);
    }
    expect((await call(HOOK_SECRET)).statusCode).toBe(202);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect((await lake.records.get(assetId))!.user.tags).toContain('from-webhook');
    expect((await lake.pipelines.history.executions({ pipeline: 'hook' })).map((e) => [e.status, e.trigger.kind])).toEqual([['completed', 'webhook']]);

    // A webhook whose secret the store does not hold: the lake's configuration, which the caller cannot mend; answered as a wrong
    // secret (any other answer would tell a caller without the secret that the pipeline is there), and said on the operator's log.
    const unkeyed = { name: 'unkeyed', version: 1, trigger: { on: 'webhook', secret: 'never-added' }, nodes: [{ id: 'tags', type: 'set-metadata', parameters: { tags: ['x'] } }] };
    expect((await api.inject({ method: 'POST', url: '/pipelines', payload: unkeyed })).statusCode).toBe(201);
    await lake.waitForIdle({ timeoutMs: 30_000 }); // the webhook finds its pipeline in the pipelines projection, folded from the log
    const unconfigured = await api.inject({ method: 'POST', url: '/pipelines/unkeyed/webhook', headers: { 'x-medialake-secret': 'guess' }, payload: { assetIds: [assetId] } });
    expect([unconfigured.statusCode, unconfigured.json().error]).toEqual([401, refused.json().error]);
    expect(logLines.some((line) => line.includes('its secret is not in the secret store') && line.includes('unkeyed'))).toBe(true);
  });

  it('answers the pipeline routes with the one error shape, and runs a search result by hand', async () => {
    const invalid = await api.inject({ method: 'POST', url: '/pipelines', payload: { name: 'x', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'a', type: 'rendition' }] } });
    expect([invalid.statusCode, invalid.json().error.code]).toEqual([400, 'INVALID_PIPELINE']);
    expect(invalid.json().error.message).toMatch(/nodes\[0\]\.parameters\.name: /);
    const older = await api.inject({ method: 'POST', url: '/pipelines', payload: { name: 'hook', version: 1, trigger: { on: 'manual' }, nodes: [{ id: 'a', type: 'set-metadata', parameters: { title: 'x' } }] } });
    expect([older.statusCode, older.json().error.code]).toEqual([409, 'PIPELINE_VERSION_CONFLICT']);
    expect((await api.inject({ method: 'POST', url: '/pipelines/nope/disable' })).json().error.code).toBe('PIPELINE_NOT_FOUND');
    const runs = await api.inject({ method: 'POST', url: '/pipelines/hook/runs', payload: { query: 'harbour' } });
    expect([runs.statusCode, runs.json().requested]).toEqual([202, [assetId]]);
    await lake.waitForIdle({ timeoutMs: 30_000 });
    expect((await lake.pipelines.history.executions({ pipeline: 'hook' })).map((e) => e.trigger.kind).sort()).toEqual(['manual', 'webhook']);
    const catalogue = (await api.inject({ method: 'GET', url: '/pipelines/catalogue' })).json().nodes.map((n: { type: string }) => n.type);
    expect(catalogue).toEqual(expect.arrayContaining(['rendition', 'watermark', 'http', 'set-metadata', 'publish-event', 'metadata', 'perceptual-hash']));
  });

  it('says when enabling or disabling counts: at once, or for a default pipeline at the next start of the processes that run processors', async () => {
    const change = async (name: string, action: string) => (await api.inject({ method: 'POST', url: `/pipelines/${name}/${action}` })).json();
    expect(await change('echo', 'disable')).toEqual({ name: 'echo', enabled: false, takesEffect: 'now' });
    expect(await change('echo', 'enable')).toEqual({ name: 'echo', enabled: true, takesEffect: 'now' });
    expect(await change('default-images', 'disable')).toEqual({ name: 'default-images', enabled: false, takesEffect: 'next-start' });
    expect(await change('default-images', 'enable')).toEqual({ name: 'default-images', enabled: true, takesEffect: 'next-start' });
  });

  it("tells a viewer with no share nothing of the library's executions, cameras or asset counts", async () => {
    const nora = bearer(await addTestUser(lake, 'Nora', 'viewer'));
    const [execution] = await lake.pipelines.history.executions({ pipeline: 'hook' });
    const asNora = (url: string) => api.inject({ method: 'GET', url, headers: nora });
    expect((await api.inject({ method: 'GET', url: '/pipelines/executions' })).json().executions.length).toBeGreaterThan(0);
    expect((await asNora('/pipelines/executions')).json()).toEqual({ executions: [] });
    expect((await asNora('/pipelines/hook/executions')).json()).toEqual({ executions: [] });
    expect((await asNora(`/pipelines/executions?assetId=${assetId}`)).json()).toEqual({ executions: [] });
    expect((await asNora(`/pipelines/executions/${execution!.executionId}`)).statusCode).toBe(404);
    expect((await asNora('/cameras')).statusCode).toBe(403);
    const status = (await asNora('/status')).json();
    expect(status.consumers.length).toBeGreaterThan(0);
    expect(status).not.toHaveProperty('assets');
    expect((await api.inject({ method: 'GET', url: '/status' })).json()).toHaveProperty('assets');
  });

  it('the secret appears in no event, log line or API answer', async () => {
    const [failed] = await lake.pipelines.history.executions({ pipeline: 'broken' });
    const urls = ['/pipelines', '/pipelines/broken', '/pipelines/executions', `/pipelines/executions/${failed!.executionId}`, '/pipelines/broken/executions', '/status', `/assets/${assetId}`];
    await expectSecretNowhere(lake, api, SECRET, logLines, urls);
  });
});
