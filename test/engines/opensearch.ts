/**
 * Test harness: a REAL single-node OpenSearch 2.19.1 (with the k-NN plugin, lucene engine
 * only) started as a child JVM from jars built by `.ci/engines/opensearch.sh` into
 * `.engines/opensearch/lib`.
 *
 * - plain HTTP on 127.0.0.1, no security plugin, single-node discovery, disk watermarks off,
 *   persistent `cluster.default_number_of_replicas: 0` (indices without an explicit
 *   number_of_replicas are green), painless with the k-NN functions (cosineSimilarity, ...);
 * - ephemeral ports chosen by the OS (no probe-then-bind race): the node writes its bound
 *   HTTP port to `<tmp>/home/http.port`;
 * - fresh temp dir per start (data, JVM tmpdir, `opensearch.log`), removed by `stop()`;
 * - the JVM watches this process's pid and exits if it disappears (no orphaned nodes).
 *
 * knn_vector mappings MUST say `"method": { "name": "hnsw", "engine": "lucene", ... }`: the
 * default engine (faiss) needs native libraries that are not shipped; with it, the first
 * refresh/flush throws UnsatisfiedLinkError on a write thread, the request never answers
 * and the shard's IndexWriter is closed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enginesInContainers, startContainer } from './containers';
import { borrowed, externalEndpoint } from './external';

export interface OpenSearchEngine {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  node: string;
  stop(): Promise<void>;
  /** Freezes the node (SIGSTOP): connections stay open and nothing answers, as a hung engine. Only an engine the harness started as a process (engineControllable). */
  pause(): Promise<void>;
  /** Lets a paused node go on (SIGCONT). */
  resume(): Promise<void>;
}

/** For an engine this harness cannot freeze: a test that pauses one must skip with engineControllable. */
const notControllable = (where: string) => async () => {
  throw new Error(`OpenSearch runs ${where}; a test that pauses it must skip with engineControllable`);
};

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENGINE_DIR = join(REPO_ROOT, '.engines', 'opensearch');
const LIB_DIR = join(ENGINE_DIR, 'lib');
const COMPLETE_STAMP = join(LIB_DIR, '.complete');
const LAUNCHER_JAR = join(LIB_DIR, 'medialake-opensearch-node.jar');
const MAIN_CLASS = 'medialake.engines.OpenSearchNode';

const START_DEADLINE_MS = 120_000;
const STOP_GRACE_MS = 10_000;
const LOG_TAIL_BYTES = 6_000;

/** True when there is an external node, or `.ci/engines/opensearch.sh` has built the engine. */
export function openSearchPresent(): boolean {
  return enginesInContainers() || externalEndpoint('OpenSearch') !== undefined || (existsSync(COMPLETE_STAMP) && existsSync(LAUNCHER_JAR));
}

function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  if (home) {
    const candidate = join(home, 'bin', 'java');
    if (existsSync(candidate)) return candidate;
  }
  return 'java';
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').slice(-LOG_TAIL_BYTES).trim() || '(log is empty)';
  } catch {
    return '(no log written)';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): boolean {
  // pid is undefined when the spawn itself failed (e.g. no java on PATH).
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

async function killChild(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, STOP_GRACE_MS)) return;
  child.kill('SIGKILL');
  await waitForExit(child, STOP_GRACE_MS);
}

async function clusterHealthy(node: string): Promise<boolean> {
  try {
    const res = await fetch(`${node}/_cluster/health?wait_for_status=yellow&timeout=2s`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (res.status !== 200) return false;
    const body = (await res.json()) as { status?: string };
    return body.status === 'green' || body.status === 'yellow';
  } catch {
    return false;
  }
}

/** Starts a fresh single-node OpenSearch; resolves once cluster health is yellow or green. */
export async function startOpenSearch(): Promise<OpenSearchEngine> {
  const external = externalEndpoint('OpenSearch');
  if (external) {
    const { stop } = borrowed('OpenSearch');
    return { node: external.replace(/\/+$/, ''), stop, pause: notControllable('outside the tests'), resume: notControllable('outside the tests') };
  }
  if (enginesInContainers()) {
    const { address, stop } = await startContainer('OpenSearch');
    return { node: `http://${address}`, stop, pause: notControllable('in a container'), resume: notControllable('in a container') };
  }
  if (!openSearchPresent()) {
    throw new Error(
      `OpenSearch engine not built (${LIB_DIR} missing): run .ci/engines/opensearch.sh from the repo root`,
    );
  }

  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'medialake-opensearch-'));
  const home = join(dir, 'home');
  const jvmTmp = join(dir, 'jvm-tmp');
  mkdirSync(jvmTmp);
  const logFile = join(dir, 'opensearch.log');
  const portFile = join(home, 'http.port');
  const clusterName = `medialake-test-${process.pid}-${Date.now().toString(36)}`;

  const jvmArgs = [
    '-Xms512m',
    '-Xmx1g',
    // C1 only: ~40% faster node start on small CI boxes; plenty fast for tests.
    '-XX:TieredStopAtLevel=1',
    '-XX:+ExitOnOutOfMemoryError',
    `-Djava.io.tmpdir=${jvmTmp}`,
    '-Djava.awt.headless=true',
    '-Dfile.encoding=UTF-8',
    '-Djava.locale.providers=SPI,COMPAT',
    '-Dlog4j.shutdownHookEnabled=false',
    '-Dlog4j2.disable.jmx=true',
    '-Dio.netty.noUnsafe=true',
    '-Dio.netty.noKeySetOptimization=true',
    '-Dio.netty.recycler.maxCapacityPerThread=0',
    ...(process.env.MEDIALAKE_OPENSEARCH_JAVA_OPTS?.split(/\s+/).filter(Boolean) ?? []),
  ];
  const appArgs = [
    '--base',
    home,
    '--parent-pid',
    String(process.pid),
    `-Ecluster.name=${clusterName}`,
    '-Enetwork.host=127.0.0.1',
    '-Ehttp.port=0',
    '-Etransport.port=0',
    '-Ediscovery.type=single-node',
    '-Ecluster.routing.allocation.disk.threshold_enabled=false',
  ];

  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(javaBinary(), [...jvmArgs, '-cp', join(LIB_DIR, '*'), MAIN_CLASS, ...appArgs], {
      cwd: dir,
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    closeSync(logFd);
  }
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });
  // Last resort if the test process exits without calling stop().
  const onProcessExit = () => {
    if (!exited(child)) child.kill('SIGKILL');
  };
  process.once('exit', onProcessExit);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      try {
        child.kill('SIGCONT'); // a paused node would not see SIGTERM
        await killChild(child);
      } finally {
        process.off('exit', onProcessExit);
        await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      }
    })();
    return stopped;
  };

  const fail = async (reason: string): Promise<never> => {
    const tail = logTail(logFile);
    await stop();
    throw new Error(
      `OpenSearch did not start: ${reason} (after ${Date.now() - started} ms)\n--- tail of the engine log (${logFile}, now removed) ---\n${tail}`,
    );
  };

  const deadline = started + START_DEADLINE_MS;
  let node: string | undefined;
  while (Date.now() < deadline) {
    if (spawnError) return fail(`could not spawn ${javaBinary()}: ${spawnError.message}`);
    if (exited(child)) {
      return fail(`JVM exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    if (!node) {
      const port = existsSync(portFile) ? (await readFile(portFile, 'utf8')).trim() : '';
      if (/^\d+$/.test(port)) node = `http://127.0.0.1:${port}`;
    }
    if (node && (await clusterHealthy(node))) {
      return { node, stop, pause: async () => void child.kill('SIGSTOP'), resume: async () => void child.kill('SIGCONT') };
    }
    await sleep(250);
  }
  return fail(
    node
      ? `cluster health at ${node} not yellow/green within ${START_DEADLINE_MS} ms`
      : `HTTP port not published within ${START_DEADLINE_MS} ms`,
  );
}
