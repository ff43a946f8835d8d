import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../app/config';
import { openLake, type Lake } from '../../app/lake';
import { pollConfiguredSqsQueue } from '../../app/sqsPolling';
import type { ProcessorInput } from '../../processors/processor';
import { ingestDirectory } from '../../producers/directory';
import { deleteAsset } from '../../producers/commands';
import { ingestFile } from '../../producers/ingest';
import { requestReprocessing } from '../../producers/reprocess';
import { assetIdForS3Object } from '../../schemas/ids';
import { createSqsClient } from '../../producers/sqsQueue';
import type { StoredEvent } from '../../schemas/envelope';
import { createS3Client } from '../../storage/s3';
import { startS3, type S3Engine } from '../engines/s3';
import { sqsPresent, startSqs, type SqsEngine } from '../engines/sqs';
import { engineAvailable } from '../engines/availability';
import { startFakeMediaConvert, type FakeMediaConvert } from '../support/fakeMediaConvert';
import { temporaryDirectory } from '../support/fixtures';
import { ingestContext } from '../support/lake';
import { makeTestMedia, TEST_MEDIA } from '../support/media';
import { waitFor } from '../support/waitFor';

const present = engineAvailable('ElasticMQ (SQS)', sqsPresent(), 'run .ci/engines/elasticmq.sh from the repo root');

const ROLE = 'arn:aws:iam::111122223333:role/MediaConvertLake';
const QUEUE = 'arn:aws:mediaconvert:us-east-1:111122223333:queues/Default';
const VIDEOS = [TEST_MEDIA.clip, TEST_MEDIA.rotated, TEST_MEDIA.variable];

/**
 * The proxy made by MediaConvert, end to end on real S3 (s3rver) and SQS
 * (ElasticMQ) engines. MediaConvert itself cannot run here: a local endpoint
 * (test/support/fakeMediaConvert.ts) takes the SDK's requests, and the test
 * does MediaConvert's part: it writes the proxy into the bucket and sends the
 * job's state change into the queue, as EventBridge delivers it.
 */
describe.skipIf(!present)('the video proxy on MediaConvert', () => {
  let s3Engine: S3Engine;
  let sqsEngine: SqsEngine;
  let mediaConvert: FakeMediaConvert;
  let sqs: ReturnType<typeof createSqsClient>;
  let s3: ReturnType<typeof createS3Client>;
  let queueUrl: string;
  const media = temporaryDirectory('medialake-mediaconvert-media-');
  const input = temporaryDirectory('medialake-mediaconvert-in-');
  const data = temporaryDirectory('medialake-mediaconvert-lake-');
  const running: { lake?: Lake; poller?: { stop(): Promise<void> } } = {};

  const settings = (overrides: Record<string, unknown> = {}) =>
    loadConfig(
      {
        data: data.path,
        logLevel: 'silent',
        'log.sync': 'normal',
        'aws.region': 'us-east-1',
        'storage.backend': 's3',
        'storage.s3.endpoint': s3Engine.client.endpoint,
        'storage.s3.bucket': 'media',
        'storage.s3.prefix': 'lake',
        'sources.sqsQueueUrl': queueUrl,
        'sources.sqsEndpoint': sqsEngine.endpoint,
        'processors.video.backend': 'mediaconvert',
        'processors.video.mediaconvert.role': ROLE,
        'processors.video.mediaconvert.queue': QUEUE,
        'processors.video.mediaconvert.endpoint': mediaConvert.endpoint,
        ...overrides,
      },
      {},
    );

  /** Opens the lake on the shared data directory and starts it, with serve's queue poller. */
  async function start(): Promise<Lake> {
    const lake = await openLake(settings());
    lake.start();
    Object.assign(running, { lake, poller: pollConfiguredSqsQueue(lake.config, lake, lake.logger) });
    return lake;
  }
  async function stop(): Promise<void> {
    await running.poller?.stop();
    await running.lake?.close();
  }

  const lake = () => running.lake!;
  const assetNamed = async (name: string) => (await lake().records.list({ limit: 100 })).assets.find((asset) => asset.originalName === name)!;
  const eventsOf = async (name: string) => lake().log.readAsset((await assetNamed(name)).assetId);
  const submissionOf = async (name: string) => (await eventsOf(name)).find((event) => event.type === 'TranscodeJobSubmitted') as StoredEvent<'TranscodeJobSubmitted'>;
  const requestOf = (jobId: string) => mediaConvert.created.find((job) => job.jobId === jobId)!.body;

  /** What MediaConvert does when a job ends: the proxy into the bucket (the source's bytes stand in for it), then the event. */
  async function finishJob(jobId: string, name: string): Promise<Record<string, unknown>> {
    const output = mediaConvert.outputOf(jobId);
    await s3.send(new PutObjectCommand({ Bucket: output.bucket, Key: output.key, Body: readFileSync(join(media.path, name)), ContentType: 'video/mp4' }));
    return stateChange(jobId, 'COMPLETE', {
      outputGroupDetails: [
        { outputDetails: [{ outputFilePaths: [output.url], durationInMs: 2000, videoDetails: { widthInPx: 160, heightInPx: 120 } }], type: 'FILE_GROUP' },
      ],
    });
  }

  /** A "MediaConvert Job State Change" as EventBridge delivers it to an SQS target (the API reference's examples). */
  function stateChange(jobId: string, status: string, detail: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      version: '0',
      id: crypto.randomUUID(),
      'detail-type': 'MediaConvert Job State Change',
      source: 'aws.mediaconvert',
      account: '111122223333',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [`arn:aws:mediaconvert:us-east-1:111122223333:jobs/${jobId}`],
      detail: { timestamp: Date.now(), accountId: '111122223333', queue: QUEUE, jobId, status, userMetadata: requestOf(jobId).userMetadata, ...detail },
    };
  }
  const send = (event: Record<string, unknown>) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));

  beforeAll(async () => {
    [s3Engine, sqsEngine, mediaConvert] = await Promise.all([startS3(), startSqs(), startFakeMediaConvert(), makeTestMedia(media.path)]).then(([a, b, c]) => [a, b, c] as const);
    await s3Engine.createBucket('media');
    queueUrl = await sqsEngine.createQueue('mediaconvert-events', { visibilityTimeoutSeconds: 1 });
    sqs = createSqsClient(sqsEngine.client);
    s3 = createS3Client(s3Engine.client);
    // The SDK's default chain reads these, as it would on a server; the stand-ins accept any.
    vi.stubEnv('AWS_ACCESS_KEY_ID', s3Engine.client.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', s3Engine.client.credentials.secretAccessKey);
    for (const name of VIDEOS) copyFileSync(join(media.path, name), join(input.path, name));
    await start();
    await ingestDirectory(ingestContext(lake()), input.path);
    await lake().waitForIdle({ timeoutMs: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await stop();
    sqs?.destroy();
    s3?.destroy();
    await Promise.all([s3Engine?.stop(), sqsEngine?.stop(), mediaConvert?.close()]);
    for (const folder of [media, input, data]) folder.remove();
    vi.unstubAllEnvs();
  });

  it('submits one CreateJob a video whose settings are the ffmpeg proxy, reading and writing the lake bucket', async () => {
    expect(mediaConvert.created).toHaveLength(3);
    expect(mediaConvert.createCalls).toBe(3);
    const clip = await submissionOf(TEST_MEDIA.clip);
    const request = requestOf(clip.payload.jobId);
    const original = (await assetNamed(TEST_MEDIA.clip)).objectKey;
    expect(request).toMatchObject({ role: ROLE, queue: QUEUE, userMetadata: { medialakeAssetId: clip.assetId } });
    expect(request.settings.inputs).toEqual([
      expect.objectContaining({ fileInput: `s3://media/lake/${original}`, videoSelector: { rotate: 'AUTO' }, audioSelectors: expect.any(Object) }),
    ]);
    const [group] = request.settings.outputGroups;
    expect(group!.outputGroupSettings).toEqual({ type: 'FILE_GROUP_SETTINGS', fileGroupSettings: { destination: `s3://media/lake/${clip.payload.objectKey.replace(/\.mp4$/, '')}` } });
    const [output] = group!.outputs;
    expect(output!.containerSettings).toEqual({ container: 'MP4', mp4Settings: { moovPlacement: 'PROGRESSIVE_DOWNLOAD' } });
    expect(output!.videoDescription).toMatchObject({ width: 160, height: 120, codecSettings: { codec: 'H_264' } });
    // As the SDK sends it: field names it did not know would not be there.
    expect(output!.videoDescription.videoPreprocessors).toEqual({ deinterlacer: { mode: 'DEINTERLACE', control: 'NORMAL', algorithm: 'INTERPOLATE' } });
    expect(output!.videoDescription.codecSettings.h264Settings).toMatchObject({
      rateControlMode: 'QVBR',
      qvbrSettings: { qvbrQualityLevel: 7 },
      parControl: 'SPECIFIED',
      parNumerator: 1,
      parDenominator: 1,
      framerateNumerator: 25,
      framerateDenominator: 1,
    });
    expect(output!.audioDescriptions).toEqual([expect.objectContaining({ codecSettings: { codec: 'AAC', aacSettings: expect.objectContaining({ bitrate: 128000, codingMode: 'CODING_MODE_2_0' }) } })]);
    expect(mediaConvert.outputOf(clip.payload.jobId).key).toBe(`lake/${clip.payload.objectKey}`);
  });

  it('asks for a portrait proxy of a phone video turned 90°, and for no sound where there is none', async () => {
    const rotated = requestOf((await submissionOf(TEST_MEDIA.rotated)).payload.jobId);
    expect(rotated.settings.outputGroups[0]!.outputs[0]!.videoDescription).toMatchObject({ width: 120, height: 160 });
    const silent = requestOf((await submissionOf(TEST_MEDIA.variable)).payload.jobId);
    expect(silent.settings.inputs[0]!.audioSelectors).toBeUndefined();
    expect(silent.settings.outputGroups[0]!.outputs[0]!.audioDescriptions).toBeUndefined();
  });

  it('keeps the stills on ffmpeg, and the video waits for its proxy', async () => {
    const clip = await assetNamed(TEST_MEDIA.clip);
    expect(Object.keys(clip.renditions).sort()).toEqual(['frames', 'poster', 'scrub-sprite', 'scrub-vtt', 'thumbnail']);
    expect(clip.status).toBe('processing');
  });

  it('puts the proxy on the asset when the job reports COMPLETE, and a repeated report adds nothing', async () => {
    const { payload } = await submissionOf(TEST_MEDIA.clip);
    const complete = await finishJob(payload.jobId, TEST_MEDIA.clip);
    await send(stateChange(payload.jobId, 'PROGRESSING'));
    await send(complete);
    await waitFor('the proxy on the record', async () => 'proxy' in (await assetNamed(TEST_MEDIA.clip)).renditions);
    await send(complete);
    await send(complete);
    await waitFor('the repeats to be read', async () => (await queueDepth()) === 0);

    const clip = await assetNamed(TEST_MEDIA.clip);
    expect(clip.status).toBe('ready');
    expect(clip.renditions.proxy).toMatchObject({ objectKey: payload.objectKey, mimeType: 'video/mp4', width: 160, height: 120, durationMs: 2000 });
    expect(clip.renditions.proxy!.size).toBe(readFileSync(join(media.path, TEST_MEDIA.clip)).length);
    const proxies = (await eventsOf(TEST_MEDIA.clip)).filter((event) => event.type === 'RenditionCreated' && event.payload.name === 'proxy');
    expect(proxies).toHaveLength(1);
    expect(clip.failures).toEqual([]);
  });

  it("fails the asset with MediaConvert's error code and message when the job reports ERROR", async () => {
    const { payload, id } = await submissionOf(TEST_MEDIA.rotated);
    const error = stateChange(payload.jobId, 'ERROR', { errorCode: 1030, errorMessage: 'Video codec [unknown] is not a supported input video codec' });
    await send(error);
    await waitFor('the failure on the record', async () => (await assetNamed(TEST_MEDIA.rotated)).failures.length > 0);
    await send(error);
    await waitFor('the repeat to be read', async () => (await queueDepth()) === 0);

    const rotated = await assetNamed(TEST_MEDIA.rotated);
    expect(rotated.failures).toEqual([
      expect.objectContaining({ code: 'MEDIACONVERT_1030', message: 'Video codec [unknown] is not a supported input video codec', causeEventId: id, retryable: false }),
    ]);
    expect(rotated.status).toBe('degraded');
    expect((await lake().log.deadLetters({ group: 'processor:video-renditions' })).filter((entry) => entry.eventId === id)).toHaveLength(1);
  });

  it('submits nothing again after a restart between submission and completion, and completes the job then', async () => {
    const before = mediaConvert.createCalls;
    await stop();
    const lake = await start();
    await lake.waitForIdle({ timeoutMs: 30_000 });
    // As after a crash before the processor's checkpoint: the ingest is handled again.
    const ingest = (await eventsOf(TEST_MEDIA.variable)).find((event) => event.type === 'AssetIngested')!;
    const video = lake.processors.find((processor) => processor.name === 'video-renditions')!;
    const again = await video.process(ingest, { originalLocation: () => lake.store.localPathOrUrl(ingest.payload.objectKey) } as ProcessorInput);
    await again.dispose?.();
    const { payload } = await submissionOf(TEST_MEDIA.variable);
    expect(again.events.filter((event) => event.type === 'TranscodeJobSubmitted')).toEqual([{ type: 'TranscodeJobSubmitted', payload }]);
    expect(mediaConvert.createCalls).toBe(before);

    await send(await finishJob(payload.jobId, TEST_MEDIA.variable));
    await waitFor('the proxy on the record', async () => 'proxy' in (await assetNamed(TEST_MEDIA.variable)).renditions);
    expect((await assetNamed(TEST_MEDIA.variable)).status).toBe('ready');
    expect(mediaConvert.createCalls).toBe(before);
  });

  it('removes what a job of a replaced or deleted version wrote, and leaves the record to the version after', async () => {
    // A video in a connected bucket, overwritten while its first job runs: both versions are one asset, each with a job.
    const assetId = assetIdForS3Object('raw', 'news/evening.mp4');
    const version = async (name: string) => {
      const path = join(input.path, name);
      await ingestFile(ingestContext(lake()), path, { kind: 's3', bucket: 'raw', key: 'news/evening.mp4' }, 'news/evening.mp4', { assetId });
      await lake().waitForIdle({ timeoutMs: 30_000 });
      return ((await lake().log.readAsset(assetId)).filter((event) => event.type === 'TranscodeJobSubmitted').at(-1) as StoredEvent<'TranscodeJobSubmitted'>).payload;
    };
    const [first, second] = [await version(TEST_MEDIA.clip), await version(TEST_MEDIA.rotated)];
    expect(first.objectKey).not.toBe(second.objectKey);
    await send(await finishJob(second.jobId, TEST_MEDIA.rotated));
    await waitFor('the second version ready', async () => (await lake().records.get(assetId))?.status === 'ready');
    // The first version's job ends late: its proxy is of a version that is gone.
    await send(await finishJob(first.jobId, TEST_MEDIA.clip));
    await waitFor('the late job to be read', async () => (await queueDepth()) === 0);
    const record = (await lake().records.get(assetId))!;
    expect(record).toMatchObject({ status: 'ready', failures: [], renditions: { proxy: { objectKey: second.objectKey } } });
    expect(await lake().store.head(first.objectKey)).toBeUndefined();
    expect(await lake().store.head(second.objectKey)).toMatchObject({ size: readFileSync(join(media.path, TEST_MEDIA.rotated)).length });

    // Deleted while a job runs (a reprocess asks for one): the cleanup has run when the job ends.
    await requestReprocessing({ log: lake().log, actor: 'tester', source: 'cli', records: lake().records, processors: lake().processors }, { assetIds: [assetId], processors: ['video-renditions'] });
    await lake().waitForIdle({ timeoutMs: 30_000 });
    const third = ((await lake().log.readAsset(assetId)).filter((event) => event.type === 'TranscodeJobSubmitted').at(-1) as StoredEvent<'TranscodeJobSubmitted'>).payload;
    await deleteAsset({ log: lake().log, actor: 'tester', source: 'cli' }, assetId);
    await lake().waitForIdle({ timeoutMs: 30_000 });
    await send(await finishJob(third.jobId, TEST_MEDIA.rotated));
    await waitFor('the job of the deleted asset to be read', async () => (await queueDepth()) === 0);
    expect(await lake().store.head(third.objectKey)).toBeUndefined();
    expect((await lake().log.readAsset(assetId)).at(-1)!.type).toBe('AssetDeleted');
  });

  it('leaves a state change whose job the log does not know on the queue, and goes on', async () => {
    const stranger = { ...stateChange(mediaConvert.created[0]!.jobId, 'COMPLETE'), detail: { jobId: 'elsewhere-1', status: 'COMPLETE', userMetadata: { medialakeAssetId: 'a-missing-asset' } } };
    const foreign = { ...stranger, detail: { jobId: 'not-ours-1', status: 'COMPLETE', userMetadata: {} } };
    await send(stranger);
    await send(foreign);
    await waitFor('the foreign job to be read and the stranger to come back', async () => (await queueDepth()) === 1);
    expect((await lake().log.deadLetters()).map((entry) => entry.assetId)).not.toContain('a-missing-asset');
  });

  it('asks MediaConvert about a job silent past its deadline: one still queued is cancelled, failed and dead-lettered, one that ended settles', async () => {
    const late = temporaryDirectory('medialake-mediaconvert-late-');
    const other = await openLake(settings({ data: late.path, 'storage.s3.prefix': 'late', 'processors.video.mediaconvert.timeoutMinutes': 0.05 }));
    const ingest = async (name: string) => {
      const path = join(input.path, name);
      return (await ingestFile(ingestContext(other), path, { kind: 'directory', path }, name)).assetId;
    };
    const submissionIn = async (assetId: string) => (await other.log.readAsset(assetId)).find((e) => e.type === 'TranscodeJobSubmitted') as StoredEvent<'TranscodeJobSubmitted'> | undefined;
    try {
      other.start();
      const [silent, lost] = [await ingest(TEST_MEDIA.clip), await ingest(TEST_MEDIA.variable)];
      // The second job ends well within its three seconds, but its state change never arrives.
      await waitFor('the second submission', async () => (await submissionIn(lost)) !== undefined);
      const { jobId: lostJob } = (await submissionIn(lost))!.payload;
      await finishJob(lostJob, TEST_MEDIA.variable);
      mediaConvert.status.set(lostJob, 'COMPLETE');
      await waitFor('the deadlines to pass', async () => (await other.records.get(silent))?.failures.length === 1 && 'proxy' in (await other.records.get(lost))!.renditions);

      const submission = (await submissionIn(silent))!;
      expect((await other.records.get(silent))!.failures[0]).toMatchObject({
        code: 'MEDIACONVERT_TIMEOUT',
        causeEventId: submission.id,
        message: expect.stringContaining(`${submission.payload.jobId} did not report within 0.05 minutes (it was SUBMITTED)`),
      });
      expect(mediaConvert.cancelled).toEqual([submission.payload.jobId]);
      expect(await other.log.deadLetters({ group: 'processor:video-renditions' })).toEqual([expect.objectContaining({ eventId: submission.id, error: expect.stringMatching(/^MEDIACONVERT_TIMEOUT: /) })]);
      expect(await other.records.get(lost)).toMatchObject({ status: 'ready', failures: [], renditions: { proxy: { objectKey: expect.stringMatching(/proxy-[0-9a-f]{8}\.mp4$/) } } });
    } finally {
      await other.close();
      late.remove();
    }
  }, 60_000);

  async function queueDepth(): Promise<number> {
    const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
  }
});
