import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SqliteEventLog } from '../../log/sqlite';
import { LocalDirectoryStore } from '../../storage/localDirectory';
import { runProcessor, runProcessors } from '../../processors/runner';
import { InvalidMediaError, type Processor } from '../../processors/processor';
import type { Subscription } from '../../log/eventLog';
import { ingestedDraft, resultDraft } from '../support/events';
import { waitFor } from '../support/waitFor';
import { fixture, temporaryDirectory } from '../support/fixtures';

describe('the processor runner', () => {
  let directory: ReturnType<typeof temporaryDirectory>;
  let log: SqliteEventLog;
  let running: Subscription | undefined;

  const options = () => ({
    log,
    store: new LocalDirectoryStore(join(directory.path, 'objects')),
    logger: pino({ level: 'silent' }),
    concurrency: 2,
    attempts: 3,
    backoffMs: 5,
    maxInputBytes: 1_000_000,
    maxInputPixels: 100_000_000,
    proxySize: 1280,
  });

  /** A processor that fails as told, then tags the asset. */
  function processor(fail: (attempt: number) => Error | undefined): Processor & { attempts: number } {
    return {
      name: 'tagger',
      version: '1',
      attempts: 0,
      accepts: (event) => event.type === 'AssetIngested',
      async process() {
        const error = fail(++this.attempts);
        if (error) throw error;
        return { events: [{ type: 'UserMetadataUpdated', payload: { tags: ['seen'] } }] };
      },
    };
  }

  async function eventsOf(assetId: string, count: number) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const events = await log.readAsset(assetId);
      if (events.length >= count || Date.now() > deadline) return events;
      await sleep(20);
    }
  }

  beforeEach(() => {
    directory = temporaryDirectory();
    log = new SqliteEventLog({ path: join(directory.path, 'log.db') });
  });
  afterEach(async () => {
    await running?.stop();
    await log.close();
    directory.remove();
  });

  it('retries a transient failure and then appends the result once, caused by and correlated with its input', async () => {
    const p = processor((attempt) => (attempt < 3 ? new Error('flaky network') : undefined));
    const [input] = await log.append([ingestedDraft('asset-a')]);
    running = runProcessor(p, options());
    const events = await eventsOf('asset-a', 2);
    expect(p.attempts).toBe(3);
    expect(events.map((e) => e.type)).toEqual(['AssetIngested', 'UserMetadataUpdated']);
    expect(events[1]).toMatchObject({
      causationId: input!.id,
      correlationId: input!.correlationId,
      source: 'processor:tagger@1',
    });
    expect(await log.deadLetters()).toEqual([]);
  });

  it('keeps nothing a processor made for an asset deleted while it ran: no files left behind, no events after the delete', async () => {
    let deleting: Promise<unknown> | undefined;
    const renditions: Processor = {
      name: 'renditions',
      version: '1',
      accepts: (event) => event.type === 'AssetIngested',
      async process(event) {
        // The user deletes the asset while its renditions are being made.
        deleting = log.append([resultDraft(event.assetId, 'AssetDeleted', {})], { expectedVersion: 1 });
        await deleting;
        return {
          objects: [{ key: `renditions/${event.assetId}/thumbnail.webp`, body: Buffer.from('pixels'), contentType: 'image/webp' }],
          events: [{ type: 'UserMetadataUpdated', payload: { tags: ['seen'] } }],
        };
      },
    };
    await log.append([ingestedDraft('asset-a')]);
    const store = new LocalDirectoryStore(join(directory.path, 'objects'));
    running = runProcessor(renditions, { ...options(), store });
    await waitFor('the processor to run', () => deleting !== undefined);
    await deleting;
    await running.stop();
    running = undefined;
    expect((await log.readAsset('asset-a')).map((e) => e.type)).toEqual(['AssetIngested', 'AssetDeleted']);
    const left = [];
    for await (const object of store.list('renditions/')) left.push(object.key);
    expect(left).toEqual([]);
  });

  it('gives up after the bounded attempts: a failure event and a dead letter, and the stream goes on', async () => {
    const p = processor((attempt) => (attempt <= 3 ? new Error('disk on fire') : undefined));
    await log.append([ingestedDraft('asset-bad'), ingestedDraft('asset-good')]);
    running = runProcessor(p, { ...options(), concurrency: 1 });
    const bad = await eventsOf('asset-bad', 2);
    const good = await eventsOf('asset-good', 2);
    expect(bad[1]).toMatchObject({
      type: 'AssetProcessingFailed',
      payload: { processor: 'processor:tagger@1', attempts: 3, retryable: true, message: 'disk on fire' },
    });
    expect(good[1]!.type).toBe('UserMetadataUpdated');
    expect(await log.deadLetters({ group: 'processor:tagger' })).toEqual([
      expect.objectContaining({ assetId: 'asset-bad', attempts: 3, error: 'disk on fire' }),
    ]);
  });

  it('waits out a full disk or too many open files instead of failing the asset: the batch is retried until the work succeeds', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const descriptors = Object.assign(new Error('EMFILE: too many open files, open'), { code: 'EMFILE' });
    // Past the three attempts of one try; ffmpeg's words on its stderr count as its code would.
    const ffmpegFull = Object.assign(new Error('ffmpeg exited with 1: could not write'), { stderr: 'proxy.mp4: No space left on device' });
    const p = processor((attempt) => (attempt <= 4 ? full : attempt <= 8 ? descriptors : attempt <= 10 ? ffmpegFull : undefined));
    await log.append([ingestedDraft('asset-waits')]);
    running = runProcessor(p, options());
    const events = await eventsOf('asset-waits', 2);
    expect(events.map((event) => event.type)).toEqual(['AssetIngested', 'UserMetadataUpdated']);
    expect(p.attempts).toBe(11);
    expect(await log.deadLetters({ group: 'processor:tagger' })).toEqual([]);
  });

  it('handles the rest of a batch once while it waits out a full disk for one asset, and fails a file whose own words speak of a full disk', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const calls: Record<string, number> = {};
    let fullFor = 2;
    const p: Processor = {
      name: 'tagger',
      version: '1',
      accepts: (event) => event.type === 'AssetIngested',
      async process(event) {
        calls[event.assetId] = (calls[event.assetId] ?? 0) + 1;
        // An SVG that links "No space left on device.png": bad input, whatever its words.
        if (event.assetId === 'asset-quoting') throw new InvalidMediaError('UNSAFE_SVG', 'the SVG links to No space left on device.png: refused');
        if (event.assetId === 'asset-full' && fullFor-- > 0) throw full;
        return { events: [{ type: 'UserMetadataUpdated', payload: { tags: ['seen'] } }] };
      },
    };
    await log.append([ingestedDraft('asset-ok'), ingestedDraft('asset-quoting'), ingestedDraft('asset-full')]);
    running = runProcessor(p, { ...options(), attempts: 1 });
    expect((await eventsOf('asset-full', 2)).map((event) => event.type)).toEqual(['AssetIngested', 'UserMetadataUpdated']);
    expect((await eventsOf('asset-quoting', 2))[1]).toMatchObject({ type: 'AssetProcessingFailed', payload: { code: 'UNSAFE_SVG' } });
    expect(calls).toEqual({ 'asset-ok': 1, 'asset-quoting': 1, 'asset-full': 3 });
  });

  it('does not retry bad input', async () => {
    const p = processor(() => new InvalidMediaError('UNREADABLE_IMAGE', 'not a picture'));
    await log.append([ingestedDraft('asset-a')]);
    running = runProcessor(p, options());
    const events = await eventsOf('asset-a', 2);
    expect(p.attempts).toBe(1);
    expect(events[1]).toMatchObject({ type: 'AssetProcessingFailed', payload: { code: 'UNREADABLE_IMAGE', retryable: false } });
  });

  it('reads and decodes an original once for all the processors of a process, each with its own result', async () => {
    const store = new LocalDirectoryStore(join(directory.path, 'objects'));
    const reads: string[] = [];
    const getBuffer = store.getBuffer.bind(store);
    store.getBuffer = (key) => (reads.push(key), getBuffer(key));
    const photo = readFileSync(fixture('jpg/gps/DSCN0010.jpg'));
    const ingested = ingestedDraft('asset-a');
    const { objectKey } = ingested.payload as { objectKey: string };
    await store.put(objectKey, photo);
    await log.append([{ ...ingested, payload: { ...ingested.payload, size: photo.length } } as typeof ingested]);
    const sizeOf = (name: string): Processor => ({
      name,
      version: '1',
      accepts: (event) => event.type === 'AssetIngested',
      async process(_event, input) {
        const { width } = await input.image();
        return { events: [{ type: 'UserMetadataUpdated', payload: { tags: [`${name}:${width}`] } }] };
      },
    });
    const subscriptions = runProcessors([sizeOf('first'), sizeOf('second')], { ...options(), store });
    try {
      const events = await eventsOf('asset-a', 3);
      expect(events.slice(1).map((e) => (e.payload as { tags: string[] }).tags[0]).sort()).toEqual(['first:640', 'second:640']);
      expect(reads).toEqual([objectKey]);
    } finally {
      await Promise.all(subscriptions.map((s) => s.stop()));
    }
  });

  it('appends nothing new when the same input is processed again (deterministic ids)', async () => {
    const p = processor(() => undefined);
    await log.append([ingestedDraft('asset-a')]);
    running = runProcessor(p, options());
    await eventsOf('asset-a', 2);
    await running.stop();
    // Forget the checkpoint, as after a crash before the commit: the input is delivered again.
    log.database.prepare('DELETE FROM checkpoints').run();
    running = runProcessor(p, options());
    const deadline = Date.now() + 20_000;
    while (p.attempts < 2 && Date.now() < deadline) await sleep(20);
    await sleep(100);
    expect(p.attempts).toBe(2);
    expect((await log.readAsset('asset-a')).map((e) => e.type)).toEqual(['AssetIngested', 'UserMetadataUpdated']);
  });
});
