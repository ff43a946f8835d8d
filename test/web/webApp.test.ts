import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server';
import { ingestFile } from '../../producers/ingest';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { buildWebUi, serveLake } from '../support/webUi';
import { expectApiError } from '../api/http';
import { addTestUser, bearer } from '../support/principals';

const HTML = { accept: 'text/html,application/xhtml+xml' };

describe('serve hosts the web UI at / beside the API', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let web: Awaited<ReturnType<typeof buildWebUi>>;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    [lake, web] = await Promise.all([openTestLake(), buildWebUi()]);
    ({ app, base } = await serveLake(lake, web.path));
  });
  afterAll(async () => {
    await app?.close();
    await lake?.close();
    web?.remove();
  });

  it('answers / with the UI, which the browser must ask for again each time (no-cache)', async () => {
    const response = await fetch(`${base}/`, { headers: HTML });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('<div id="root"></div>');
  });

  it('serves the hashed bundles under /static/ as immutable for a year', async () => {
    const bundles = readdirSync(join(web.path, 'static'));
    expect(bundles.some((name) => name.endsWith('.js'))).toBe(true);
    for (const name of bundles) {
      const response = await fetch(`${base}/static/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it("gives a browser's navigation to the UI's own routes the UI, which routes it", async () => {
    for (const path of ['/asset/0198c0de-0000-7000-8000-000000000000', '/find?q=canon&make=Canon', '/upload', '/sign-in?next=%2F']) {
      const response = await fetch(`${base}${path}`, { headers: HTML });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<div id="root"></div>');
    }
  });

  it("keeps the API's JSON 404: for clients that do not ask for HTML, and under the API's own paths", async () => {
    const unknown = await fetch(`${base}/no-such-route`, { headers: { accept: 'application/json' } });
    expect(unknown.status).toBe(404);
    expectApiError(await unknown.json(), 'ROUTE_NOT_FOUND');
    const underApi = await fetch(`${base}/assets/not-an-asset/nor-a-route`, { headers: HTML });
    expect(underApi.status).toBe(404);
    expectApiError(await underApi.json(), 'ROUTE_NOT_FOUND');
    const post = await fetch(`${base}/asset/x`, { method: 'POST', headers: HTML });
    expect(post.status).toBe(404);
    expectApiError(await post.json(), 'ROUTE_NOT_FOUND');
  });

  it('streams each event appended to the log at GET /live to a signed-in caller, and ends the stream when the server closes', async () => {
    // An editor sees the whole library; what a viewer's stream leaves out is test/api/live.test.ts's.
    const apiKey = await addTestUser(lake, 'ada', 'editor');
    expect((await fetch(`${base}/live`)).status).toBe(401);
    const response = await fetch(`${base}/live`, { headers: bearer(apiKey) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const { assetId } = await ingestFile({ ...ingestContext(lake), store: lake.store }, fixture('jpg/Canon_40D.jpg'), { kind: 'upload' }, 'Canon_40D.jpg');
    let text = '';
    while (!text.includes(`"assetId":"${assetId}"`)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before it told of ${assetId}: ${text}`);
      text += value;
    }
    const frame = text.split('\n\n').find((part) => part.includes(assetId))!;
    expect(frame).toMatch(/^id: \S+\nevent: asset\ndata: /m);
    expect(JSON.parse(frame.split('data: ')[1]!)).toMatchObject({ assetId, type: 'AssetIngested', assetVersion: 1, time: expect.any(String) });
    await app.close();
    let chunk = await reader.read();
    while (!chunk.done) chunk = await reader.read();
    expect(chunk.done).toBe(true);
  });
});

describe('serve without a built UI', () => {
  it('says how to build it, at /, instead of serving nothing', async () => {
    const lake = await openTestLake();
    const empty = temporaryDirectory();
    const app = await buildServer(lake, { webBuild: empty.path });
    try {
      const response = await app.inject({ url: '/', headers: HTML });
      expect(response.statusCode).toBe(503);
      expectApiError(response.json(), 'WEB_UI_NOT_BUILT');
      expect(response.json().error.message).toContain('npx vite build web');
    } finally {
      await app.close();
      await lake.close();
      empty.remove();
    }
  });
});
