import { CancelJobCommand, CreateJobCommand, GetJobCommand, type Job, type MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import type { Logger } from 'pino';
import type { EventLog, Subscription } from '../log/eventLog';
import { draft, type StoredEvent } from '../schemas/envelope';
import type { PayloadOf } from '../schemas/events';
import { derivedEventId } from '../schemas/ids';
import { renditionKey } from '../storage/assetKeys';
import type { S3ObjectStore } from '../storage/s3';
import { proxyJob, type JobStateChange } from './mediaConvertJob';
import type { ResultEvent } from './processor';
import { groupOf, sourceOf } from './runner';
import type { ProxyJobs } from './videoRenditions';
import type { VideoPlan } from './videoPlan';

export interface MediaConvertJobsOptions {
  client: MediaConvertClient;
  log: EventLog;
  /** The lake's S3 store: the job reads the original from it and writes the proxy into it. */
  store: S3ObjectStore;
  logger: Logger;
  role: string;
  queue?: string;
  timeoutMinutes: number;
  /** The processor whose step the job is: the source of its events, the group of its dead letters. */
  processor: { name: string; version: string };
}

type Submission = StoredEvent<'TranscodeJobSubmitted'>;

/** What a state change did: a rendition or a failure on the log, nothing (already settled, or a progress report), or not the lake's job. */
export type SettleOutcome = 'completed' | 'failed' | 'repeated' | 'progress' | 'not-ours' | 'superseded';

/** Put in each job's user metadata, which every state change carries back. */
const ASSET_ID = 'medialakeAssetId';
/** MediaConvert's final states; the others (SUBMITTED, PROGRESSING) and progress events leave a job pending. */
const FINAL = new Set(['COMPLETE', 'ERROR', 'CANCELED']);
const LONGEST_CHECK_MS = 60_000;

const isSubmission = (event: StoredEvent): event is Submission => event.type === 'TranscodeJobSubmitted';
const settles = (submission: Submission) => (event: StoredEvent) =>
  event.causationId === submission.id && (event.type === 'RenditionCreated' || event.type === 'AssetProcessingFailed');
/** The asset was deleted or ingested anew after the job was submitted: its result would be of a version that is gone. */
const replaces = (submission: Submission) => (event: StoredEvent) =>
  event.assetVersion > submission.assetVersion && (event.type === 'AssetDeleted' || event.type === 'AssetIngested');

/** A job as GetJob describes it, in the shape of the state change EventBridge would have delivered. */
function asStateChange(job: Job): JobStateChange {
  return {
    jobId: job.Id!,
    status: job.Status ?? 'UNKNOWN',
    userMetadata: job.UserMetadata ?? {},
    errorCode: job.ErrorCode,
    errorMessage: job.ErrorMessage,
    outputGroupDetails: (job.OutputGroupDetails ?? []).map((group) => ({
      outputDetails: (group.OutputDetails ?? []).map((output) => ({
        durationInMs: output.DurationInMs,
        videoDetails: { widthInPx: output.VideoDetails?.WidthInPx, heightInPx: output.VideoDetails?.HeightInPx },
      })),
    })),
  };
}

/**
 * The web proxy made by AWS Elemental MediaConvert. A job is submitted in
 * the video processor's step and recorded on the log (TranscodeJobSubmitted);
 * it finishes when its state change arrives through EventBridge and SQS
 * (settle), or, when none comes in time, is failed and dead-lettered (watch).
 * The log is the jobs' only memory: a job is submitted once per cause, and
 * settled once.
 */
export class MediaConvertJobs implements ProxyJobs {
  private readonly source: string;
  private readonly group: string;
  /** Submissions not settled yet, by event id: what the watch holds against the deadline. */
  private readonly pending = new Map<string, Submission>();
  /** The consumer group of watch(): the log's submissions, read by whichever process watches the deadlines. */
  readonly watchGroup = 'mediaconvert-jobs';

  constructor(private readonly options: MediaConvertJobsOptions) {
    this.source = sourceOf(options.processor);
    this.group = groupOf(options.processor);
  }

  /**
   * Submits the proxy of the original a cause ingested, unless the log holds
   * its submission already (the processor ran it before and was stopped
   * before its checkpoint): then the same submission comes back. A lost
   * answer to CreateJob is covered by MediaConvert itself: the token, from
   * the cause and the destination, gives the same job again.
   */
  async submit(cause: StoredEvent<'AssetIngested'>, plan: VideoPlan): Promise<ResultEvent> {
    const earlier = (await this.options.log.readAsset(cause.assetId)).find((event): event is Submission => isSubmission(event) && event.causationId === cause.id);
    if (earlier) return { type: 'TranscodeJobSubmitted', payload: earlier.payload };
    const { store, role, queue } = this.options;
    // A key of the job's own: a job of an earlier version of the asset, ending late, must not write over the proxy of the one after.
    const objectKey = renditionKey(cause.assetId, `proxy-${cause.id.slice(0, 8)}`, '.mp4');
    const destination = store.s3Url(objectKey).replace(/\.mp4$/, '');
    const { Job } = await this.options.client.send(
      new CreateJobCommand(
        proxyJob({
          plan,
          input: store.s3Url(cause.payload.objectKey),
          destination,
          role,
          queue,
          // The destination tells apart lakes of one account that ingested the same bytes (an ingest's id may follow from its content).
          token: derivedEventId(cause.id, this.source, destination),
          userMetadata: { [ASSET_ID]: cause.assetId },
        }),
      ),
    );
    if (!Job?.Id) throw new Error('MediaConvert accepted the proxy job but named no job id');
    const deadline = new Date(Date.now() + this.options.timeoutMinutes * 60_000).toISOString();
    this.options.logger.info({ assetId: cause.assetId, jobId: Job.Id }, 'MediaConvert proxy job submitted');
    return { type: 'TranscodeJobSubmitted', payload: { service: 'mediaconvert', jobId: Job.Id, rendition: 'proxy', objectKey, ...plan.proxy, deadline } };
  }

  /**
   * Acts on a job's state change: COMPLETE gives the rendition, ERROR and
   * CANCELED a failure with MediaConvert's code and message; a change for a
   * job already settled adds nothing. A job of this lake whose submission is
   * not on the log (yet) is an error, so the message comes back later.
   */
  async settle(change: JobStateChange): Promise<SettleOutcome> {
    const assetId = change.userMetadata[ASSET_ID];
    if (!assetId) return 'not-ours';
    const events = await this.options.log.readAsset(assetId);
    const submission = events.find((event): event is Submission => isSubmission(event) && event.payload.jobId === change.jobId);
    if (!submission) throw new Error(`MediaConvert job ${change.jobId} of asset ${assetId} has no submission on the log`);
    if (events.some(settles(submission))) return 'repeated';
    if (events.some(replaces(submission))) return this.drop(submission);
    if (change.status === 'COMPLETE') return this.complete(submission, change);
    if (change.status === 'ERROR' || change.status === 'CANCELED') {
      const code = change.status === 'ERROR' ? `MEDIACONVERT_${change.errorCode ?? 'ERROR'}` : 'MEDIACONVERT_CANCELED';
      return this.fail(submission, code, change.errorMessage ?? `MediaConvert job ${change.jobId} was ${change.status.toLowerCase()}`);
    }
    return 'progress';
  }

  private async complete(submission: Submission, change: JobStateChange): Promise<SettleOutcome> {
    const { objectKey, rendition, width, height } = submission.payload;
    const output = change.outputGroupDetails.flatMap((group) => group.outputDetails)[0];
    const expected = this.options.store.s3Url(objectKey);
    const written = output?.outputFilePaths;
    if (written && !written.includes(expected)) {
      return this.fail(submission, 'MEDIACONVERT_UNEXPECTED_OUTPUT', `MediaConvert wrote ${written.join(', ')}, not ${expected}`);
    }
    const object = await this.options.store.head(objectKey);
    if (!object?.size) return this.fail(submission, 'MEDIACONVERT_OUTPUT_MISSING', `MediaConvert reported job ${change.jobId} complete, but ${expected} is missing or empty`);
    const payload: PayloadOf<'RenditionCreated'> = {
      name: rendition,
      objectKey,
      mimeType: 'video/mp4',
      size: object.size,
      width: output?.videoDetails?.widthInPx ?? width,
      height: output?.videoDetails?.heightInPx ?? height,
      ...(output?.durationInMs !== undefined && { durationMs: output.durationInMs }),
      watermarked: false,
    };
    await this.append(submission, 'RenditionCreated', 'completed', payload);
    return 'completed';
  }

  /**
   * A job of a version the asset no longer has (deleted, or ingested anew
   * since): nothing goes on the log, and what it wrote is removed, as the
   * cleanup of the deletion, which ran before, would have.
   */
  private async drop(submission: Submission): Promise<SettleOutcome> {
    this.pending.delete(submission.id);
    await this.options.store.delete(submission.payload.objectKey);
    this.options.logger.info({ assetId: submission.assetId, jobId: submission.payload.jobId }, 'MediaConvert job of a deleted or replaced version: its output removed');
    return 'superseded';
  }

  private async fail(submission: Submission, code: string, message: string): Promise<SettleOutcome> {
    const { log, logger } = this.options;
    const payload = { processor: this.source, causeEventId: submission.id, code, message, attempts: 1, retryable: false };
    logger.warn({ assetId: submission.assetId, jobId: submission.payload.jobId, code, reason: message }, 'MediaConvert proxy job failed');
    await this.append(submission, 'AssetProcessingFailed', 'failed', payload);
    const { id: eventId, assetId } = submission;
    await log.deadLetter({ group: this.group, eventId, assetId, attempts: 1, error: `${code}: ${message}`, time: new Date().toISOString() });
    return 'failed';
  }

  /** Results of a job derive their ids from its submission, so a repeated change appends nothing new (law 4). */
  private async append<T extends 'RenditionCreated' | 'AssetProcessingFailed'>(submission: Submission, type: T, step: string, payload: PayloadOf<T>) {
    this.pending.delete(submission.id);
    await this.options.log.append([
      draft(type, {
        id: derivedEventId(submission.id, this.source, step),
        assetId: submission.assetId,
        actor: 'medialake',
        source: this.source,
        correlationId: submission.correlationId,
        causationId: submission.id,
        payload,
      } as never),
    ]);
  }

  /**
   * Holds every unsettled submission (read from the start of the log, so a
   * restarted process knows the jobs submitted before) and, as each passes
   * its deadline, asks MediaConvert about it (GetJob): a job that ended
   * settles as its lost state change would have; one still queued or
   * running is cancelled, failed and dead-lettered.
   */
  watch(): Subscription {
    const subscription = this.options.log.subscribe({
      group: this.watchGroup,
      positions: async () => ({}),
      handle: async (batch) => batch.forEach((event) => this.track(event)),
      onError: (error) => this.options.logger.error({ err: error }, 'reading MediaConvert submissions failed; retrying'),
    });
    const every = Math.min(LONGEST_CHECK_MS, (this.options.timeoutMinutes * 60_000) / 4);
    let checking = Promise.resolve();
    const timer = setInterval(() => (checking = checking.then(() => this.expireOverdue())), every);
    return {
      async stop() {
        clearInterval(timer);
        await Promise.all([subscription.stop(), checking]);
      },
    };
  }

  /**
   * A submission waits until its result is on the log; one whose asset was
   * deleted or ingested anew waits too, for its job to be cancelled at its
   * deadline and what it wrote removed.
   */
  private track(event: StoredEvent): void {
    if (isSubmission(event)) return void this.pending.set(event.id, event);
    for (const [id, submission] of this.pending) if (settles(submission)(event)) this.pending.delete(id);
  }

  close(): void {
    this.options.client.destroy();
  }

  /** Settles or fails every pending job past its deadline; one MediaConvert cannot be asked about waits for the next check. */
  async expireOverdue(now = Date.now()): Promise<void> {
    const overdue = [...this.pending.values()].filter((submission) => Date.parse(submission.payload.deadline) <= now);
    for (const submission of overdue) {
      try {
        await this.expire(submission);
      } catch (error) {
        this.options.logger.error({ err: error, jobId: submission.payload.jobId }, 'checking an overdue MediaConvert job failed; trying again');
      }
    }
  }

  private async expire(submission: Submission): Promise<void> {
    const { client, timeoutMinutes } = this.options;
    const { jobId } = submission.payload;
    const { Job } = await client.send(new GetJobCommand({ Id: jobId }));
    if (Job?.Status && FINAL.has(Job.Status)) return void (await this.settle(asStateChange(Job)));
    await client.send(new CancelJobCommand({ Id: jobId })).catch((error: unknown) => {
      this.options.logger.warn({ err: error, jobId }, 'could not cancel an overdue MediaConvert job');
    });
    const message = `MediaConvert job ${jobId} did not report within ${timeoutMinutes} minutes (it was ${Job?.Status ?? 'unknown'}); it was cancelled`;
    const events = await this.options.log.readAsset(submission.assetId);
    if (events.some(replaces(submission))) return void (await this.drop(submission));
    if (!events.some(settles(submission))) await this.fail(submission, 'MEDIACONVERT_TIMEOUT', message);
    this.pending.delete(submission.id);
  }
}
