import { expect } from 'vitest';
import type { Lake } from '../../app/lake';
import type { StoredEvent } from '../../schemas/envelope';

/**
 * A pipeline node's secret appears in no event on the log, no log line and
 * no API answer of `urls` (each answered 200): the lake ran nodes with it
 * (a PipelineNodeFinished is there) and wrote log lines.
 */
export async function expectSecretNowhere(
  lake: Lake,
  api: { inject(request: { method: 'GET'; url: string }): Promise<{ statusCode: number; body: string }> },
  secret: string,
  logLines: string[],
  urls: string[],
): Promise<void> {
  const all: StoredEvent[] = [];
  for await (const batch of lake.log.readAll()) all.push(...batch);
  expect(all.some((e) => e.type === 'PipelineNodeFinished')).toBe(true);
  expect(JSON.stringify(all)).not.toContain(secret);
  expect(logLines.length).toBeGreaterThan(0);
  expect(logLines.join('')).not.toContain(secret);
  for (const url of urls) {
    const response = await api.inject({ method: 'GET', url });
    expect([url, response.statusCode]).toEqual([url, 200]);
    expect(response.body).not.toContain(secret);
  }
}
