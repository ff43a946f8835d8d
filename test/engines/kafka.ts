// A real single-node Kafka broker (KRaft, combined broker+controller) as a child
// process, for tests. Jars come from Maven Central via .ci/engines/kafka.sh.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { enginesInContainers, startContainer } from './containers';
import { borrowed, externalEndpoint } from './external';
import { freePorts } from './freePorts';

export interface KafkaEngine {
  brokers: string[];
  stop(): Promise<void>;
  restart(): Promise<void>;
}

// Relative to the repo root, not the cwd, so the test works from any directory.
const LIB_DIR = fileURLToPath(new URL('../../.engines/kafka/lib/', import.meta.url));
const JAVA = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

function kafkaJarsPresent(): boolean {
  return existsSync(LIB_DIR) && readdirSync(LIB_DIR).some((f) => /^kafka_2\.13-.*\.jar$/.test(f));
}

/** Whether the tests have a broker: an external one, or the jars to start their own. */
export function kafkaPresent(): boolean {
  return enginesInContainers() || externalEndpoint('Kafka') !== undefined || kafkaJarsPresent();
}

export async function startKafka(): Promise<KafkaEngine> {
  const external = externalEndpoint('Kafka');
  if (external) return { brokers: external.split(',').map((b) => b.trim()), ...borrowed('Kafka') };
  if (enginesInContainers()) {
    const { address, stop, restart } = await startContainer('Kafka');
    return { brokers: [address], stop, restart };
  }
  if (!kafkaJarsPresent()) throw new Error(`Kafka jars missing in ${LIB_DIR}: run .ci/engines/kafka.sh`);

  const dir = mkdtempSync(join(tmpdir(), 'medialake-kafka-'));
  const [brokerPort, controllerPort] = await freePorts(2);
  const brokers = [`127.0.0.1:${brokerPort}`];
  const logFile = join(dir, 'broker.log');
  const propsFile = join(dir, 'server.properties');

  // Broker output goes to a file; root WARN keeps it small, the three server
  // classes stay at INFO so a failed start still shows how far it got.
  writeFileSync(
    join(dir, 'log4j2.properties'),
    [
      'appender.out.type=Console',
      'appender.out.name=OUT',
      'appender.out.layout.type=PatternLayout',
      'appender.out.layout.pattern=[%d] %p %m (%c)%n',
      'rootLogger.level=WARN',
      'rootLogger.appenderRef.out.ref=OUT',
      'loggers=raft,broker,controller',
      'logger.raft.name=kafka.server.KafkaRaftServer',
      'logger.raft.level=INFO',
      'logger.broker.name=kafka.server.BrokerServer',
      'logger.broker.level=INFO',
      'logger.controller.name=kafka.server.ControllerServer',
      'logger.controller.level=INFO',
      '',
    ].join('\n'),
  );

  writeFileSync(
    propsFile,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
      'controller.listener.names=CONTROLLER',
      // Dynamic quorum (format --standalone) wants bootstrap.servers, not quorum.voters.
      `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
      `log.dirs=${join(dir, 'data')}`,
      // One node: every internal topic must live with replication factor 1.
      'default.replication.factor=1',
      'min.insync.replicas=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1', // default 50 makes the first group join slow
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'transaction.state.log.num.partitions=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0', // no 3 s wait before the first rebalance
      'auto.create.topics.enable=true',
      'num.partitions=1',
      'num.network.threads=2',
      'num.io.threads=2',
      'log.segment.bytes=16777216',
      'log.retention.hours=1',
      '',
    ].join('\n'),
  );

  const jvmArgs = [
    '-Xms256m',
    '-Xmx768m',
    '-XX:+UseSerialGC', // smallest footprint; pause times do not matter here
    '-XX:TieredStopAtLevel=1', // C1 only: faster start, short-lived process
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
    '-cp',
    `${LIB_DIR}*`, // the JVM expands the wildcard itself; no shell involved
  ];

  // Cluster id: 16 random bytes, base64url without padding (Kafka's Uuid format).
  // Like Kafka's own Uuid.randomUuid, reject a leading '-': the CLI would parse it as a flag (1 in 64 runs).
  let clusterId: string;
  do clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-'));
  try {
    await promisify(execFile)(JAVA, [...jvmArgs, 'kafka.tools.StorageTool', 'format', '--config', propsFile, '--cluster-id', clusterId, '--standalone']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`kafka storage format failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }

  let child: ChildProcess | undefined;
  // A crashed test run must not leave an orphan JVM holding ports and 768 MiB.
  const killOnExit = () => child?.kill('SIGKILL');
  process.on('exit', killOnExit);

  const launch = async () => {
    const fd = openSync(logFile, 'a'); // append: a restart keeps the earlier history
    const proc = spawn(JAVA, [...jvmArgs, 'kafka.Kafka', propsFile], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child = proc;
    await waitReady(proc, brokers, logFile);
  };

  const halt = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await launch();
  } catch (err) {
    await halt('SIGKILL');
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    brokers,
    // SIGTERM = clean shutdown (logs flushed, no recovery on start), same ports and data dir.
    async restart() {
      await halt('SIGTERM');
      await launch();
    },
    // The data goes away anyway, so no need for a clean shutdown.
    async stop() {
      await halt('SIGKILL');
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// "Listening" is not enough: wait until a real client gets cluster metadata back.
async function waitReady(proc: ChildProcess, brokers: string[], logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const admin = new Kafka({
    clientId: 'medialake-engine-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  let lastError: unknown;
  try {
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`Kafka exited during start (code ${proc.exitCode}, signal ${proc.signalCode})\n${tail(logFile)}`);
      }
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length > 0 && cluster.controller !== null) return;
      } catch (err) {
        lastError = err;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`Kafka not ready after ${READY_TIMEOUT_MS / 1000}s (last error: ${String(lastError)})\n${tail(logFile)}`);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function tail(file: string, lines = 40): string {
  try {
    return `--- ${file} (last ${lines} lines) ---\n` + readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no broker log at ${file})`;
  }
}
