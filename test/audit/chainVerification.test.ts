import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { openTestLake } from '../support/lake';
import { ingestedDraft } from '../support/events';
import { waitFor } from '../support/waitFor';
import { lastVerification, recordVerification, verifyAndRecord, verifyPeriodically, type ChainVerification } from '../../app/chainVerification';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';

/** The last check of the hash chain, as the live API shows it. */
describe('tamper evidence in /status and /health', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  const get = async (url: string) => (await app.inject({ method: 'GET', url })).json();

  beforeAll(async () => {
    lake = await openTestLake();
    ({ app } = await adminApi(lake));
    await lake.log.append([ingestedDraft('asset-1'), ingestedDraft('asset-2')]);
  });
  afterAll(async () => {
    await app?.close();
    await lake?.close();
  });

  it('shows nothing before the first check, then an intact chain, then the first break, while health stays 200', async () => {
    expect(await get('/health')).toEqual({ ok: true, tamperEvidence: null });
    expect((await get('/audit/verify')).intact).toBe(true);
    // With the head it saw: the background check holds the log against it next.
    expect((await get('/status')).tamperEvidence).toEqual({ verifiedAt: expect.any(String), ok: true, anchor: { offset: expect.any(Number), hash: expect.stringMatching(/^k1:/) } });

    const raw = new Database(join(lake.dataDir, 'log.db'));
    const eventId = raw.prepare('SELECT id FROM events WHERE offset = 1').pluck().get() as string;
    raw.prepare(`UPDATE events SET actor = 'mallory' WHERE offset = 1`).run();
    raw.close();
    expect((await get('/audit/verify')).intact).toBe(false);
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json().tamperEvidence).toMatchObject({
      verifiedAt: expect.any(String),
      ok: false,
      firstBreak: expect.objectContaining({ kind: 'edited', partition: '0', offsets: [1], eventIds: [eventId] }),
    });
    expect((await get('/status')).tamperEvidence.firstBreak.message).toContain(`offset 1 (event ${eventId})`);
  });

  it('holds a check by hand to the head the last passing check recorded: an end cut off fails it, and the head is kept', async () => {
    const own = await openTestLake();
    const { app: ownApp } = await adminApi(own);
    try {
      await own.log.append([ingestedDraft('asset-1'), ingestedDraft('asset-2'), ingestedDraft('asset-3')]);
      expect((await ownApp.inject({ method: 'GET', url: '/audit/verify' })).json().intact).toBe(true);
      const { anchor } = lastVerification(own.dataDir)!;
      const raw = new Database(join(own.dataDir, 'log.db'));
      raw.prepare('DELETE FROM events WHERE offset = ?').run(anchor!.offset);
      raw.close();
      for (let check = 0; check < 2; check++) {
        const verify = await verifyAndRecord(own).then((reports) => reports.flatMap((report) => report.breaks));
        expect(verify).toEqual([expect.objectContaining({ kind: 'deleted', offsets: [anchor!.offset] })]);
        expect(lastVerification(own.dataDir)).toMatchObject({ ok: false, anchor });
      }
    } finally {
      await ownApp.close();
      await own.close();
    }
  });

  it('answers a check that cannot be recorded (a full disk) with its verdict, warns, and leaves no part of the record behind', async () => {
    const own = await openTestLake();
    try {
      await own.log.append([ingestedDraft('asset-1')]);
      // The record cannot take the place of a folder that holds something: as a write that finds no room, the check is done before it fails.
      mkdirSync(join(own.dataDir, 'chain-verification.json', 'in the way'), { recursive: true });
      const warnings: string[] = [];
      own.logger.warn = ((_: unknown, message: string) => void warnings.push(message)) as Logger['warn'];
      const reports = await verifyAndRecord(own);
      expect(reports.flatMap((report) => report.breaks)).toEqual([]);
      expect(warnings).toEqual([expect.stringContaining('could not be recorded')]);
      expect(readdirSync(own.dataDir).filter((name) => name.startsWith('chain-verification'))).toEqual(['chain-verification.json']);
    } finally {
      await own.close();
    }
  });

  it('answers 409 CHAIN_KEY_MISSING, not a server error, when no link names a key this server holds', async () => {
    const raw = new Database(join(lake.dataDir, 'log.db'));
    raw.exec(`UPDATE events SET hash = 'k1:000000000000:' || substr(hash, 17)`);
    raw.close();
    // No check recorded, so no head to hold the log to (which every rewritten link would break).
    rmSync(join(lake.dataDir, 'chain-verification.json'));
    const answer = await app.inject({ method: 'GET', url: '/audit/verify' });
    expect(answer.statusCode).toBe(409);
    expect(answer.json().error).toMatchObject({ code: 'CHAIN_KEY_MISSING', message: expect.stringContaining('is signed with chain key 000000000000, which is not configured here') });
  });
});

describe("serve's background check of the hash chain", () => {
  const quiet = { error: () => undefined } as unknown as Logger;

  /** Starts the background check (it checks at once), waits for its record, and stops it. */
  async function checkInBackground(lake: Awaited<ReturnType<typeof openTestLake>>): Promise<ChainVerification> {
    const before = lastVerification(lake.dataDir)?.verifiedAt;
    const stop = verifyPeriodically(lake, 60, quiet);
    try {
      await waitFor('the check to be recorded', () => lastVerification(lake.dataDir)?.verifiedAt !== before);
      return lastVerification(lake.dataDir)!;
    } finally {
      stop();
    }
  }

  it('checks at start, finds events dropped from the end against the head it saw, and keeps a break until one checks by hand', async () => {
    const lake = await openTestLake();
    try {
      await lake.log.append([ingestedDraft('asset-1'), ingestedDraft('asset-2'), ingestedDraft('asset-3')]);
      const first = await checkInBackground(lake);
      expect(first).toMatchObject({ ok: true, anchor: { offset: expect.any(Number) } });

      const raw = new Database(join(lake.dataDir, 'log.db'));
      raw.prepare('DELETE FROM events WHERE offset = ?').run(first.anchor!.offset);
      raw.close();
      const cut = await checkInBackground(lake);
      expect(cut).toMatchObject({ ok: false, firstBreak: expect.objectContaining({ offsets: [first.anchor!.offset] }), anchor: first.anchor });

      // Checked without that head (a new lake directory's first check would be), the cut log passes: the break stays.
      recordVerification(lake.dataDir, { ...cut, anchor: undefined });
      await sleep(5); // a later verifiedAt than the one recorded
      const stop = verifyPeriodically(lake, 60, quiet);
      await sleep(500);
      stop();
      expect(lastVerification(lake.dataDir)).toMatchObject({ ok: false, firstBreak: cut.firstBreak });
    } finally {
      await lake.close();
    }
  });
});
