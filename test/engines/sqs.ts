// A real ElasticMQ server (an SQS-compatible queue) as a child process, for
// tests. Jars come from Maven Central via .ci/engines/elasticmq.sh.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateQueueCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { createSqsClient, type SqsClientOptions } from '../../producers/sqsQueue';
import { enginesInContainers, startContainer } from './containers';
import { freePorts } from './freePorts';

export interface SqsEngine {
  endpoint: string;
  /** What a client needs to reach this server: its endpoint, a region and credentials (any are accepted). */
  client: SqsClientOptions & { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Creates a queue and returns its URL; a short visibility timeout lets tests see redelivery. */
  createQueue(name: string, options?: { visibilityTimeoutSeconds?: number }): Promise<string>;
  stop(): Promise<void>;
}

// Relative to the repo root, not the cwd, so the test works from any directory.
const LIB_DIR = fileURLToPath(new URL('../../.engines/elasticmq/lib/', import.meta.url));
const VERSION = readFileSync(new URL('./maven/elasticmq/pom.xml', import.meta.url), 'utf8').match(/<elasticmq\.version>(.+)<\/elasticmq\.version>/)![1]!;
const JAVA = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const READY_TIMEOUT_MS = 30_000;

function sqsJarsPresent(): boolean {
  return existsSync(join(LIB_DIR, `elasticmq-server_2.13-${VERSION}.jar`)) && existsSync(join(LIB_DIR, '.complete'));
}

/** Whether the tests have an SQS: a container to start, or ElasticMQ's jars. */
export function sqsPresent(): boolean {
  return enginesInContainers() || sqsJarsPresent();
}

export async function startSqs(): Promise<SqsEngine> {
  const server = enginesInContainers() ? await startContainer('SQS').then(({ address, stop }) => ({ endpoint: `http://${address}`, stop })) : await startElasticMq();
  // ElasticMQ takes any credentials.
  const client = { endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'elasticmq', secretAccessKey: 'elasticmq' } };
  const sqs = createSqsClient(client);
  return {
    endpoint: server.endpoint,
    client,
    async createQueue(name, options = {}) {
      const attributes = options.visibilityTimeoutSeconds === undefined ? undefined : { VisibilityTimeout: String(options.visibilityTimeoutSeconds) };
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      return QueueUrl!;
    },
    async stop() {
      sqs.destroy();
      await server.stop();
    },
  };
}

/** ElasticMQ's JVM on a free loopback port, ready once a client gets an answer. */
async function startElasticMq(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  if (!sqsJarsPresent()) throw new Error(`ElasticMQ jars missing in ${LIB_DIR}: run .ci/engines/elasticmq.sh`);
  const dir = mkdtempSync(join(tmpdir(), 'medialake-elasticmq-'));
  const [port] = await freePorts(1);
  const endpoint = `http://127.0.0.1:${port}`;
  const logFile = join(dir, 'elasticmq.log');
  const configFile = join(dir, 'elasticmq.conf');
  // Overrides the server's reference.conf: loopback only, queue URLs on this port, no stats UI (it would take a second, fixed port).
  writeFileSync(
    configFile,
    [
      `node-address { protocol = http, host = "127.0.0.1", port = ${port}, context-path = "" }`,
      `rest-sqs { enabled = true, bind-port = ${port}, bind-hostname = "127.0.0.1", sqs-limits = strict }`,
      'rest-stats { enabled = false }',
      'aws { region = "us-east-1", accountId = "000000000000" }',
      '',
    ].join('\n'),
  );

  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    JAVA,
    [
      '-Xms64m',
      '-Xmx256m',
      '-XX:+UseSerialGC', // smallest footprint; pause times do not matter here
      '-XX:TieredStopAtLevel=1', // C1 only: faster start, short-lived process
      `-Dconfig.file=${configFile}`,
      '-cp',
      `${LIB_DIR}*`, // the JVM expands the wildcard itself; no shell involved
      'org.elasticmq.server.Main',
    ],
    { stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  // A crashed test run must not leave an orphan JVM holding the port.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const sqs = createSqsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'elasticmq', secretAccessKey: 'elasticmq' } });
  const stop = async () => {
    sqs.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL'); // the queues go away anyway
      await exited;
    }
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitReady(child, () => sqs.send(new ListQueuesCommand({})), logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

// A listening port is not enough: wait until a real client gets an answer.
async function waitReady(child: ChildProcess, probe: () => Promise<unknown>, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`ElasticMQ exited during start (code ${child.exitCode}, signal ${child.signalCode})\n${tail(logFile)}`);
    }
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
    }
    await sleep(200);
  }
  throw new Error(`ElasticMQ not ready after ${READY_TIMEOUT_MS / 1000}s (last error: ${String(lastError)})\n${tail(logFile)}`);
}

function tail(file: string, lines = 40): string {
  try {
    return `--- ${file} (last ${lines} lines) ---\n` + readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ElasticMQ log at ${file})`;
  }
}
