/**
 * What authentication and Cedar authorization cost a read: `GET /search` and
 * `GET /assets/:id` answered with both on (a local API key checked against
 * the principals projection, then Cedar) against the same server with both
 * off, in the same run on the same lake. Everything else in front of the
 * routes (security headers, the Host and form checks, the rate limit) is on
 * for both. Requests go through Fastify's inject, so the network does not
 * hide the difference. Goal (docs/access.md): ratio ≥ 0.85.
 * BENCH_REQUESTS sets the requests of one measured run (default 2000).
 */
import type { Lake } from '../app/lake';
import { buildServer } from '../api/server';
import { ingestDirectory } from '../producers/directory';
import { fixture } from '../test/support/fixtures';
import { addTestUser, bearer } from '../test/support/principals';
import { ingestContext, openTestLake } from '../test/support/lake';
import { compare, rate } from './report';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);

type App = Awaited<ReturnType<typeof buildServer>>;

/** Requests per second of a run that alternates a keyword search and an asset read. */
function reads(app: App, assetIds: string[], headers: Record<string, string>) {
  return () =>
    rate(REQUESTS, async () => {
      for (let i = 0; i < REQUESTS; i++) {
        const url = i % 2 === 0 ? '/search?q=DSCN' : `/assets/${assetIds[i % assetIds.length]}`;
        const response = await app.inject({ url, headers });
        if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
      }
    });
}

/** The viewer sees the assets through a share of a collection that holds them all, to group "bench": Cedar walks a share on every asset read. */
async function shareAll(app: App, assetIds: string[], headers: Record<string, string>): Promise<void> {
  const created = await app.inject({ method: 'POST', url: '/collections', headers, payload: { name: 'Bench' } });
  const { collectionId } = created.json() as { collectionId: string };
  for (const assetId of assetIds) await app.inject({ method: 'PUT', url: `/collections/${collectionId}/assets/${assetId}`, headers });
  const shared = await app.inject({ method: 'PUT', url: `/collections/${collectionId}/shares`, headers, payload: { subject: { kind: 'group', id: 'bench' }, role: 'viewer' } });
  if (shared.statusCode !== 200) throw new Error(`sharing the bench collection answered ${shared.statusCode}: ${shared.body}`);
}

async function main(): Promise<void> {
  const lake = await openTestLake({ 'auth.rateLimitPerMinute': 1_000_000_000 });
  try {
    lake.start();
    await ingestDirectory(ingestContext(lake), fixture('jpg/gps'));
    const apiKey = await addTestUser(lake, 'bench viewer', 'viewer', ['bench']);
    const adminKey = await addTestUser(lake, 'bench admin', 'admin');
    await lake.waitForIdle({ timeoutMs: 120_000 });
    const assetIds = (await lake.records.list({ limit: 100 })).assets.map((asset) => asset.assetId);
    const open: Lake = { ...lake, config: { ...lake.config, auth: { ...lake.config.auth, enabled: false } } };
    const [guarded, unguarded] = [await buildServer(lake), await buildServer(open)];
    await shareAll(guarded, assetIds, bearer(adminKey));
    const [on, off] = [reads(guarded, assetIds, bearer(apiKey)), reads(unguarded, assetIds, {})];
    // Unmeasured: the JIT, Cedar's first calls and the route caches warm up on both sides alike.
    await off();
    await on();
    await compare(
      `GET /search and GET /assets/:id, ${REQUESTS} requests a run, ${assetIds.length} assets`,
      { label: 'authentication + Cedar on (API key, viewer through a group share)', run: on },
      { label: 'authentication and authorization off', run: off },
      0.85,
    );
    await Promise.all([guarded.close(), unguarded.close()]);
  } finally {
    await lake.close();
  }
}

await main();
