import { describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { ingestedDraft } from '../support/events';
import { openTestLake } from '../support/lake';
import { waitFor } from '../support/waitFor';

/** GET /ready: what a load balancer checks before it sends a new host requests. */
describe('readiness', () => {
  it('answers 503, naming the projections still folding, until each is within a batch of the log; then 200 for good', async () => {
    const lake = await openTestLake();
    const app = await buildServer(lake);
    try {
      // A new host: the log has history its own projections have not folded yet.
      await lake.log.append(Array.from({ length: 1_500 }, (_, i) => ingestedDraft(`asset-${i}`)));
      const before = await app.inject('/ready');
      expect(before.statusCode).toBe(503);
      expect(before.json().ready).toBe(false);
      // The history and the lake's own first events (its default pipelines deployed).
      expect(before.json().lagging).toEqual(expect.arrayContaining([{ group: 'projection:audit', lag: 1_506 }, { group: 'projection:collections', lag: 1_506 }]));
      expect((await app.inject('/health')).statusCode).toBe(200);

      lake.start('projections');
      await waitFor('the projections to fold the history', async () => (await app.inject('/ready')).statusCode === 200);
      expect((await app.inject('/ready')).json()).toEqual({ ready: true, lagging: [] });
      // Ready stays ready: a burst of appends does not take the host out of the load balancer.
      await lake.log.append(Array.from({ length: 1_500 }, (_, i) => ingestedDraft(`later-${i}`)));
      expect((await app.inject('/ready')).statusCode).toBe(200);
    } finally {
      await app.close();
      await lake.close();
    }
  });
});
