import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino, { type Logger } from 'pino';
import { totalLag, type EventLog, type Positions, type Subscription } from '../log/eventLog';
import type { ObjectStore } from '../storage/objectStore';
import { LocalDirectoryStore, sweepTemporaryFiles } from '../storage/localDirectory';
import type { Processor } from '../processors/processor';
import { groupOf, runProcessors } from '../processors/runner';
import { cleanupProcessor } from '../processors/cleanup';
import { mediaToolPath } from '../processors/ffmpeg';
import { probeOnce } from '../processors/probeOnce';
import { representativeFrames } from '../processors/videoFrames';
import type { Embedder } from '../processors/embedder';
import type { MediaConvertJobs } from '../processors/mediaConvert';
import { runProjection, type ProjectionStore } from '../projections/projection';
import type { AssetRecords } from '../projections/assets/assetRecords';
import type { SearchIndex } from '../projections/search/searchIndex';
import type { VectorIndex } from '../projections/vectors/vectorIndex';
import type { DuplicateGroups } from '../projections/duplicates/duplicateGroups';
import type { CameraInventory } from '../projections/cameras/cameraInventory';
import type { AuditTrail } from '../projections/audit/auditTrail';
import type { Collections } from '../projections/collections/collections';
import type { PrincipalDirectory } from '../projections/principals/principalDirectory';
import { ProjectionLifecycle } from '../projections/lifecycle/lifecycle';
import type { Config, ServeRole } from './config';
import { LakeMetrics } from './metrics';
import {
  openAssetRecords,
  dataDirectoryId,
  openAuditTrail,
  openCameraInventory,
  openCollections,
  openDuplicateGroups,
  openEmbedder,
  openEventLog,
  openObjectStore,
  openPipelineHistory,
  openProxyJobs,
  openPrincipalDirectory,
  openSearchIndex,
  openSecretStore,
  openSubjectKeys,
  openVectorIndex,
} from './backends';
import type { SubjectKeys } from '../log/subjectKeys';
import { verifyPeriodically } from './chainVerification';
import { publishConsumerLag } from './consumerLagEmf';
import type { PipelineHistory } from '../projections/pipelines/pipelineHistory';
import { nodeCatalogue, type Catalogue } from '../processors/pipelines/catalogue';
import { PIPELINE_RUNNER_GROUP, runPipelines } from '../processors/pipelines/runner';
import { processorNodeTypes } from '../processors/pipelines/processorNodes';
import { processorsOfDefaults, sharedDecodeBox } from '../processors/pipelines/defaults';
import { deployDefaultPipelines, deployedDefaults } from '../producers/pipelines';
import type { SecretStore } from '../storage/secretStore';

/**
 * The composition root: the backends the configuration names, the processors
 * and the projections, and what an operator asks of them (status, idle).
 */
export interface Lake {
  config: Config;
  logger: Logger;
  /** Files being received (uploads), under the data directory; what dead processes left is swept when the lake opens. */
  temporaryDirectory: string;
  log: EventLog;
  /** The keys personal data on the log is sealed under; the log closes them. */
  subjectKeys: SubjectKeys;
  store: ObjectStore;
  records: AssetRecords;
  search: SearchIndex;
  vectors: VectorIndex;
  duplicates: DuplicateGroups;
  /** Live assets by camera make, model and year: the worked example of a projection added afterwards. */
  cameras: CameraInventory;
  audit: AuditTrail;
  /** Collections, nesting, shares and favourites: what a viewer may see (api/visibility.ts). */
  collections: Collections;
  /** Local users and their API keys, for authentication (docs/access.md). */
  principals: PrincipalDirectory;
  /** List, status and rebuild of the projections. */
  projections: ProjectionLifecycle;
  /** The configured CLIP model (image and text encoders); undefined when embeddings are off. */
  embedder?: Embedder;
  /** What the enabled default pipelines run, as their deployed versions were when the lake opened, and cleanup. */
  processors: Processor[];
  /**
   * Pipelines (docs/pipelines.md): their history (a projection), the node
   * catalogue, the nodes' secrets, and the processors each enabled default
   * pipeline runs.
   */
  pipelines: { history: PipelineHistory; catalogue: Catalogue; secrets: SecretStore; defaults: ReadonlyMap<string, Processor[]> };
  /** The video proxy's MediaConvert jobs (processors.video.backend mediaconvert): their state changes come through serve's SQS poller. */
  proxyJobs?: MediaConvertJobs;
  /** The Prometheus registry the consumers and the API report into (GET /metrics). */
  metrics: LakeMetrics;
  /**
   * Starts the consumers of a role in this process (docs/scale.md):
   * processors, projections, or both (all); with api, the projections of the
   * data directory that authorization reads; with api and all, the background
   * check of the hash chain (chain.verifyIntervalMinutes); with every role
   * but api, the consumer lag for CloudWatch (telemetry.cloudwatchNamespace).
   */
  start(role?: ServeRole): void;
  /**
   * Starts what a command that waits on processing (`ingest --wait`,
   * `--watch`) runs in its own process: as start('all') on the embedded log;
   * on a partitioned log the projections of this data directory, and each
   * shared group only where no member consumes it elsewhere (see its body).
   * waitForIdle still waits for every group.
   */
  startForCommand(): Promise<void>;
  /** The consumer groups of this process's role (the started one, else the configured one): see consumers in openLake. */
  consumers(): Promise<ConsumerStatus[]>;
  /**
   * Resolves when every consumer has reached the end of the log and what the projections applied is visible to reads.
   * Rejects (ConsumersFailingError) when a consumer of this process has failed every batch for `givesUpAfterMs` (a full
   * disk, an engine away): it would else wait for good; the consumers go on retrying.
   */
  waitForIdle(options?: { timeoutMs?: number; givesUpAfterMs?: number; onProgress?: (status: ConsumerStatus[]) => void }): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumerStatus {
  group: string;
  positions: Positions;
  lag: number;
  /** The lag per partition of the log. */
  partitions: Record<string, number>;
  deadLetters: number;
  /** Where this process runs the consumer and its batches keep failing (a full disk, an engine away): since when, and the last error's code. */
  failing?: { since: string; code: string };
  /** A projection each host keeps in its own data directory (docs/scale.md), folded by this host's projections worker. */
  local?: true;
}

/** How often waitForIdle asks the consumers where they are (on a remote log each asking costs round trips). */
const IDLE_CHECK_MS = 100;
/**
 * How often it looks at the hints of this process's consumers (free): once
 * every one says it has caught up it asks at once, so `ingest --wait`
 * returns right after the last batch lands, not up to IDLE_CHECK_MS later.
 */
const HINT_CHECK_MS = 5;

/** How long waitForIdle waits on a consumer whose every batch fails before it gives up (an outage shorter than this is ridden out). */
const GIVE_UP_AFTER_MS = 60_000;

/** What waitForIdle says when consumers of this process keep failing: which, and what the last failure said. */
export class ConsumersFailingError extends Error {
  readonly code = 'CONSUMERS_FAILING';
  constructor(failing: { consumer: string; error: unknown }[], ms: number) {
    const [{ consumer, error }] = failing as [{ consumer: string; error: unknown }];
    const said = error instanceof Error ? error.message : String(error);
    super(`${consumer}${failing.length > 1 ? ` and ${failing.length - 1} more` : ''} failed every batch for ${ms / 1000} s (last: ${said}); they go on retrying, but this command stops waiting`);
  }
}

/** How long what status reports (a consumer's positions, the dead letters) may take to read before the last read stands in. */
const STATUS_READ_MS = 2_000;

/**
 * Reads what status reports from an engine, and stands in for one that does
 * not answer (down or frozen: OpenSearch keeps the search projection's
 * positions, Redis the partitioned logs' dead letters) with what it last
 * gave, so lag is still reported, growing as the log does, and /status and
 * /metrics answer within STATUS_READ_MS. One read per key at a time: a hung
 * engine is not sent a new one at every status call.
 */
function lastKnownReads<T>(logger: Logger, what: string, none: T): (key: string, read: () => Promise<T>) => Promise<T> {
  const known = new Map<string, T>();
  const reading = new Map<string, Promise<T>>();
  return async (key, read) => {
    let current = reading.get(key);
    if (!current) {
      current = read().then((value) => (known.set(key, value), value));
      reading.set(key, current);
      void current.catch(() => undefined).finally(() => reading.delete(key));
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), STATUS_READ_MS)));
    const answer = await Promise.race([current, late])
      .catch((error: unknown) => void logger.warn({ read: key, err: error }, `${what} could not be read: reporting the last read`))
      .finally(() => clearTimeout(timer));
    return answer ?? known.get(key) ?? none;
  };
}

/**
 * Credentials a library may log with the headers it was given (at trace
 * level @fastify/multipart logs busboy's options, the request's headers
 * among them): never written, at any level.
 */
const REDACTED = ['authorization', 'cookie'].flatMap((name) => [`headers.${name}`, `*.headers.${name}`, `*.*.headers.${name}`]);

export function createLogger(config: Pick<Config, 'logLevel'>, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino({ level: config.logLevel, base: { service: 'medialake' }, redact: REDACTED }, destination);
}

export async function openLake(config: Config, logger: Logger = createLogger(config)): Promise<Lake> {
  // The SDK loads only when a collector is configured.
  const telemetry = config.telemetry.otlpEndpoint ? (await import('./telemetry')).startTelemetry(config) : undefined;
  const subjectKeys = await openSubjectKeys(config);
  const [log, store, records, search, vectors, duplicates, cameras, audit, collections, principals, pipelineHistory] = await Promise.all([
    openEventLog(config, logger, subjectKeys),
    openObjectStore(config),
    openAssetRecords(config),
    openSearchIndex(config),
    openVectorIndex(config),
    openDuplicateGroups(config),
    openCameraInventory(config),
    openAuditTrail(config),
    openCollections(config),
    openPrincipalDirectory(config),
    openPipelineHistory(config),
  ]);
  // A killed process's half-received uploads and half-written objects go now, not at some later write.
  const temporaryDirectory = join(config.data, 'tmp');
  await Promise.all([sweepTemporaryFiles(temporaryDirectory), store instanceof LocalDirectoryStore && store.sweep()]);
  const embedder = openEmbedder(config);
  const proxyJobs = await openProxyJobs(config, log, store, logger);
  const { processors: settings } = config;
  const tools = { ffmpeg: mediaToolPath('ffmpeg', settings.ffmpeg.path), ffprobe: mediaToolPath('ffprobe', settings.ffprobe.path) };
  // media-probe and video-renditions read the same original: one ffprobe run for both.
  const probeOriginal = probeOnce(tools.ffprobe);
  const nodeSettings = { ...settings, ...tools, temporaryDirectory, probeOriginal, embedder, proxyJobs };
  // The lake's own hash and embeddings take a video's frames from its frames rendition; a pipeline's node,
  // run on an ingest before that rendition exists, decodes them from the original.
  const types = processorNodeTypes(nodeSettings);
  const nodeTypes = processorNodeTypes({ ...nodeSettings, frames: representativeFrames(tools) });
  const services = { eventBridge: { region: config.aws.region, endpoint: config.pipelines.eventBridgeEndpoint }, video: { ...tools, temporaryDirectory } };
  const catalogue = nodeCatalogue(nodeTypes, services);
  const secrets = await openSecretStore(config);
  const lakeCommands = { log, actor: 'medialake', source: 'medialake', catalogue, history: pipelineHistory, records, collections, defaults: new Map() };
  await deployDefaultPipelines(lakeCommands);
  const deployed = await deployedDefaults(log);
  const defaults = processorsOfDefaults(deployed, types);
  const pipelines = { history: pipelineHistory, catalogue, secrets, defaults: defaults.byPipeline };
  const processors = [...defaults.all, cleanupProcessor(store, log)];
  /** The consumer groups a processors worker runs: what more workers would shorten. */
  const workerGroups = [...processors.map(groupOf), PIPELINE_RUNNER_GROUP];
  const decodeBox = sharedDecodeBox(deployed, settings.proxySize);
  const projections: ProjectionStore[] = [records, search, vectors, duplicates, cameras, audit, collections, principals, pipelineHistory];
  const lifecycle = new ProjectionLifecycle(log, projections, config.data, logger);
  const running: Subscription[] = [];
  let stopChainChecks = () => undefined as void;
  let stopLagPublishing = () => undefined as void;
  const metrics = new LakeMetrics(() => consumers());

  const positionsOf = lastKnownReads<Positions>(logger, "a consumer's positions", {});
  const deadLetterCountsOf = lastKnownReads<Record<string, number>>(logger, 'the dead letters', {});
  /**
   * A projection in a shared engine (DynamoDB, OpenSearch) is folded once: its
   * workers share one group. One in the data directory (SQLite) is folded by
   * every host into its own files, so on a partitioned log each host's group
   * is its own; every API host then answers the same.
   */
  const hostId = config.log.backend === 'sqlite' ? undefined : dataDirectoryId(config);
  const projectionGroup = (projection: ProjectionStore) => (hostId && projection.local ? `${projection.name}@${hostId}` : projection.name);

  /**
   * The projections in this data directory that a role folds in its own
   * process. Besides every projection (all, projections): an api process
   * folds what authorization reads (the principals, the collections' shares
   * and nesting, and, where they are in the data directory too, the records
   * that place an asset in its collections), and a processors worker what
   * its pipeline runner reads and the principals its /status and /metrics
   * sign in with: a revoked key, a new user, a withdrawn share take effect
   * there whether or not a projections worker runs beside it.
   */
  const foldedBy = (role: ServeRole): ProjectionStore[] => {
    if (role === 'all' || role === 'projections') return projections;
    const reads = role === 'processors' ? [principals, pipelineHistory, collections, records] : [principals, collections, records];
    return reads.filter((read) => read.local);
  };
  /** The role start() was given; until then (a command that only reads, `status`), the configured one. */
  let role: ServeRole = config.serve.role;
  /** Whether startForCommand left groups to their members elsewhere. */
  let othersConsume = false;

  /**
   * The consumer groups this process reports (status, /metrics, /ready,
   * waitForIdle). The processors' groups and the projections in shared
   * engines are the lake's, read from the log the same by every process.
   * A projection in the data directory is reported only where that directory
   * is folded: by the processors role, the ones it folds itself; by the
   * others, all of them (an api process answers from them, folded by the
   * projections worker beside it). A processors worker's directory never
   * holds the audit trail, say: its lag would be the whole log, for good.
   * Each under the group it is consumed as (projectionGroup), so its lag,
   * its dead letters and the events it handled share one `consumer` label.
   */
  async function consumers(): Promise<ConsumerStatus[]> {
    const deadLetters = await deadLetterCountsOf('dead letters', () => log.deadLetterCounts());
    const kept = role === 'processors' ? foldedBy(role) : projections;
    const groups: [string, () => Promise<Positions>, boolean?][] = [
      ...workerGroups.map((group) => [group, () => log.committed(group)] as [string, () => Promise<Positions>]),
      ...projections
        .filter((p) => !p.local || kept.includes(p))
        .map((p) => [projectionGroup(p), () => p.positions(), p.local] as [string, () => Promise<Positions>, boolean?]),
    ];
    return Promise.all(
      groups.map(async ([group, read, local]) => {
        const positions = await positionsOf(group, read);
        const partitions = await log.partitionLag(positions);
        const failing = metrics.failure(group);
        const status = { group, positions, lag: totalLag(partitions), partitions, deadLetters: deadLetters[group] ?? 0, ...(failing && { failing }) };
        return local ? { ...status, local: true as const } : status;
      }),
    );
  }

  /**
   * The consumers whose work the workers share: what CloudWatch scales them on.
   * A projection in the data directory is every host's own copy: a new host
   * (a new task starts with an empty one) lags by the whole log while it folds
   * it, which more workers would not shorten.
   */
  const sharedConsumers = async () => (await consumers()).filter((consumer) => !consumer.local);

  /** Starts the consumers of a role in this process, each group only where `runsHere` says so (start, startForCommand). */
  function startConsumers(started: ServeRole, runsHere: (group: string) => boolean): void {
    role = started;
    if (role === 'all' || role === 'processors') {
      const here = processors.filter((processor) => runsHere(groupOf(processor)));
      if (here.length) running.push(...runProcessors(here, { log, store, logger, metrics, ...settings, proxySize: decodeBox }));
      // The MediaConvert jobs' deadlines are watched where the proxy processor runs.
      if (proxyJobs && runsHere(proxyJobs.watchGroup)) running.push(proxyJobs.watch());
      if (runsHere(PIPELINE_RUNNER_GROUP)) {
        running.push(
          runPipelines({
            log,
            store,
            logger,
            ...pipelines,
            records,
            collections,
            concurrency: config.pipelines.concurrency,
            decode: { maxInputPixels: settings.maxInputPixels, box: config.pipelines.maxImageSize },
            maxInputBytes: settings.maxInputBytes,
            metrics,
          }),
        );
      }
    }
    // Every projection, or those of the data directory that the role reads itself (foldedBy).
    for (const projection of foldedBy(role)) {
      const group = projectionGroup(projection);
      if (runsHere(group)) running.push(runProjection(log, projection, logger, { metrics, group }));
    }
    if (role === 'all' || role === 'api') stopChainChecks = verifyPeriodically({ log, config }, config.chain.verifyIntervalMinutes, logger);
    const namespace = config.telemetry.cloudwatchNamespace;
    if (namespace && role !== 'api') {
      stopLagPublishing = publishConsumerLag(sharedConsumers, {
        namespace,
        workerGroups: new Set(workerGroups),
        seconds: config.telemetry.cloudwatchIntervalSeconds,
        write: (line) => process.stdout.write(line),
        onError: (error) => logger.warn({ err: error }, 'the consumer lag could not be read for CloudWatch'),
      });
    }
  }

  return {
    config,
    logger,
    temporaryDirectory,
    log,
    subjectKeys,
    store,
    records,
    search,
    vectors,
    duplicates,
    cameras,
    audit,
    collections,
    principals,
    projections: lifecycle,
    embedder,
    processors,
    pipelines,
    proxyJobs,
    metrics,
    start(started = 'all') {
      startConsumers(started, () => true);
    },
    async startForCommand() {
      /*
       * On the embedded log a group's lease already does this: a server that
       * runs holds it, the command's member waits, and takes over if the
       * server stops. On a partitioned log a member of this process would
       * join the workers' groups (`serve --role processors|projections`):
       * two rebalances per command, and part of the work done on this host,
       * which may lack the media tools or the network. So a shared group
       * (the processors', the pipeline runner's, a projection in a shared
       * engine) runs here only where it has no live member now, as on one
       * host that has only the CLI; else the command waits on its members.
       * Decided once, at start: should those members all stop mid-command,
       * the wait goes on until they are back (or the command is stopped).
       * This data directory's projections are this host's own (projectionGroup): folded here always.
       */
      if (config.log.backend === 'sqlite') return startConsumers('all', () => true);
      const shared = [...workerGroups, ...(proxyJobs ? [proxyJobs.watchGroup] : []), ...projections.filter((p) => !p.local).map(projectionGroup)];
      const consumedElsewhere = new Set<string>();
      await Promise.all(shared.map(async (group) => (await log.groupMembers(group)) > 0 && consumedElsewhere.add(group)));
      if (consumedElsewhere.size) logger.debug({ groups: [...consumedElsewhere] }, 'these consumer groups have members elsewhere: waiting on them, not joining');
      othersConsume = consumedElsewhere.size > 0;
      startConsumers('all', (group) => !consumedElsewhere.has(group));
    },
    consumers,
    async waitForIdle({ timeoutMs = Infinity, givesUpAfterMs = GIVE_UP_AFTER_MS, onProgress } = {}) {
      const deadline = Date.now() + timeoutMs;
      // The hints of this process's members say nothing of members elsewhere (startForCommand).
      const hintsSayIdle = () => !othersConsume && running.length > 0 && running.every((s) => s.caughtUp?.() ?? false);
      for (let asked = -Infinity; ; await sleep(HINT_CHECK_MS)) {
        if (performance.now() - asked < IDLE_CHECK_MS && !hintsSayIdle()) continue;
        asked = performance.now();
        const status = await consumers();
        onProgress?.(status);
        if (status.every((s) => s.lag === 0)) return void (await Promise.all(projections.map((p) => p.settle?.())));
        if (Date.now() > deadline) throw new Error(`consumers did not catch up within ${timeoutMs} ms`);
        const failing = metrics.failingFor(givesUpAfterMs);
        if (failing.length) throw new ConsumersFailingError(failing, givesUpAfterMs);
      }
    },
    async close() {
      stopChainChecks();
      stopLagPublishing();
      await Promise.all(running.splice(0).map((s) => s.stop()));
      await lifecycle.close();
      proxyJobs?.close();
      await Promise.all([log.close(), ...projections.map((p) => p.close()), embedder?.close()]);
      await telemetry?.shutdown();
    },
  };
}
