import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { ingestDirectory } from '../../producers/directory';
import { parseApiKey } from '../../producers/principals';
import { fixture } from '../support/fixtures';
import { ingestContext, openTestLake } from '../support/lake';
import { addTestUser, adminApi, bearer } from '../support/principals';

type Lake = Awaited<ReturnType<typeof openTestLake>>;

/** Reads a server-sent event stream until its text holds `until`; the text so far. */
async function readUntil(response: Response, until: string): Promise<string> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!text.includes(until)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before it told ${until}`);
    text += value;
  }
  await reader.cancel();
  return text;
}

/** Reads a server-sent event stream to its end; the whole text. */
async function readToEnd(response: Response): Promise<string> {
  let text = '';
  for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) text += chunk;
  return text;
}

describe('GET /live tells each caller of the assets they may see', () => {
  let lake: Lake;
  let app: Awaited<ReturnType<typeof adminApi>>['app'];
  let base: string;
  let adminFetch: typeof fetch;
  let viewerKey: string;
  let shared: string;
  let hidden: string;

  beforeAll(async () => {
    lake = await openTestLake();
    lake.start();
    await ingestDirectory(ingestContext(lake), fixture('jpg/gps'));
    await lake.waitForIdle({ timeoutMs: 60_000 });
    [shared, hidden] = (await lake.records.list({ limit: 2 })).assets.map((asset) => asset.assetId) as [string, string];
    viewerKey = await addTestUser(lake, 'Vera', 'viewer', ['press']);
    ({ app, fetch: adminFetch } = await adminApi(lake));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    const json = { 'content-type': 'application/json' };
    const created = await adminFetch(`${base}/collections`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'Press' }) });
    const { collectionId } = (await created.json()) as { collectionId: string };
    expect((await adminFetch(`${base}/collections/${collectionId}/assets/${shared}`, { method: 'PUT' })).status).toBe(200);
    const share = JSON.stringify({ subject: { kind: 'group', id: 'press' }, role: 'viewer' });
    expect((await adminFetch(`${base}/collections/${collectionId}/shares`, { method: 'PUT', headers: json, body: share })).status).toBe(200);
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await lake?.close();
  });

  it("streams an admin every asset's events, and a viewer only those of the assets shared with them", async () => {
    const viewer = await fetch(`${base}/live`, { headers: bearer(viewerKey) });
    const admin = await adminFetch(`${base}/live`);
    expect([viewer.status, admin.status]).toEqual([200, 200]);
    // The hidden asset's edit is appended first: a viewer's stream that told it would tell it before the shared one's.
    for (const assetId of [hidden, shared]) {
      const edit = await adminFetch(`${base}/assets/${assetId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Live' }) });
      expect(edit.status).toBe(200);
    }
    const [viewerText, adminText] = await Promise.all([readUntil(viewer, shared), readUntil(admin, shared)]);
    expect(viewerText).not.toContain(hidden);
    expect(adminText).toContain(hidden);
  });

  it("tells a viewer neither another's favourites nor memberships of collections they may not see", async () => {
    const viewer = await fetch(`${base}/live`, { headers: bearer(viewerKey) });
    const json = { 'content-type': 'application/json' };
    const created = await adminFetch(`${base}/collections`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'Legal' }) });
    const { collectionId } = (await created.json()) as { collectionId: string };
    expect((await adminFetch(`${base}/favourites/${shared}`, { method: 'PUT' })).status).toBe(200);
    expect((await adminFetch(`${base}/collections/${collectionId}/assets/${shared}`, { method: 'PUT' })).status).toBe(200);
    const edit = await adminFetch(`${base}/assets/${shared}`, { method: 'PATCH', headers: json, body: JSON.stringify({ title: 'Told' }) });
    expect(edit.status).toBe(200);
    const text = await readUntil(viewer, 'UserMetadataUpdated');
    expect(text).not.toMatch(/AssetFavourited|AssetAddedToCollection/);
  });

  it('ends a stream once its key is revoked, and tells no stream of users and keys', async () => {
    const leaverKey = await addTestUser(lake, 'Leona', 'viewer', ['press']);
    const editorKey = await addTestUser(lake, 'Ed', 'editor');
    const [leaver, editor] = await Promise.all([fetch(`${base}/live`, { headers: bearer(leaverKey) }), fetch(`${base}/live`, { headers: bearer(editorKey) })]);
    expect([leaver.status, editor.status]).toEqual([200, 200]);
    expect((await adminFetch(`${base}/keys/${parseApiKey(leaverKey)!.keyId}`, { method: 'DELETE' })).status).toBe(204);
    await sleep(1_100); // past the streams' recheck interval
    const edit = await adminFetch(`${base}/assets/${shared}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'After the revocation' }) });
    expect(edit.status).toBe(200);
    const [leaverText, editorText] = await Promise.all([readToEnd(leaver), readUntil(editor, shared)]);
    expect(leaverText).not.toContain(shared);
    expect(editorText).not.toMatch(/UserAdded|ApiKeyRevoked/);
  });
});
