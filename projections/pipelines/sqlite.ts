import type { StoredEvent } from '../../schemas/envelope';
import { SqliteProjection } from '../sqliteProjection';
import {
  PIPELINE_HISTORY,
  type DeployedVersion,
  type ExecutionFilter,
  type ExecutionSummary,
  type NodeRun,
  type PipelineHistory,
  type PipelineSummary,
} from './pipelineHistory';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS subjects (subject TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pipelines (
  name TEXT PRIMARY KEY, version INTEGER NOT NULL, enabled INTEGER NOT NULL, deployed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pipeline_versions (
  name TEXT NOT NULL, version INTEGER NOT NULL, definition TEXT NOT NULL, PRIMARY KEY (name, version));
CREATE TABLE IF NOT EXISTS executions (
  execution_id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, version INTEGER NOT NULL, asset_id TEXT NOT NULL,
  status TEXT NOT NULL, trigger TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, duration_ms REAL,
  failed_node TEXT, error TEXT, outputs TEXT);
CREATE INDEX IF NOT EXISTS executions_by_pipeline ON executions (pipeline, started_at);
CREATE INDEX IF NOT EXISTS executions_by_status ON executions (status, started_at);
CREATE INDEX IF NOT EXISTS executions_by_asset ON executions (asset_id);
CREATE TABLE IF NOT EXISTS execution_nodes (
  execution_id TEXT NOT NULL, node TEXT NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
  duration_ms REAL, error TEXT, PRIMARY KEY (execution_id, node));`;

interface PipelineRow {
  name: string;
  version: number;
  enabled: number;
  deployed_at: string;
  definition: string;
  running: number;
  completed: number;
  failed: number;
}

interface ExecutionRow {
  execution_id: string;
  pipeline: string;
  version: number;
  asset_id: string;
  status: ExecutionSummary['status'];
  trigger: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  failed_node: string | null;
  error: string | null;
  outputs: string | null;
}

/** Each pipeline with its deployed version's definition (v). */
const DEPLOYED = 'pipelines p JOIN pipeline_versions v ON v.name = p.name AND v.version = p.version';

const PIPELINES = `SELECT p.name, p.version, p.enabled, p.deployed_at, v.definition,
  (SELECT count(*) FROM executions e WHERE e.pipeline = p.name AND e.status = 'running') AS running,
  (SELECT count(*) FROM executions e WHERE e.pipeline = p.name AND e.status = 'completed') AS completed,
  (SELECT count(*) FROM executions e WHERE e.pipeline = p.name AND e.status = 'failed') AS failed
  FROM ${DEPLOYED}`;

function toPipeline(row: PipelineRow): PipelineSummary {
  return {
    name: row.name,
    version: row.version,
    enabled: row.enabled === 1,
    deployedAt: row.deployed_at,
    definition: JSON.parse(row.definition),
    executions: { running: row.running, completed: row.completed, failed: row.failed },
  };
}

function toExecution(row: ExecutionRow): ExecutionSummary {
  return {
    executionId: row.execution_id,
    pipeline: row.pipeline,
    version: row.version,
    assetId: row.asset_id,
    status: row.status,
    trigger: JSON.parse(row.trigger),
    startedAt: row.started_at,
    ...(row.finished_at !== null && { finishedAt: row.finished_at }),
    ...(row.duration_ms !== null && { durationMs: row.duration_ms }),
    ...(row.failed_node !== null && { failedNode: row.failed_node }),
    ...(row.error !== null && { error: JSON.parse(row.error) }),
    ...(row.outputs !== null && { outputs: JSON.parse(row.outputs) }),
  };
}

/** The pipeline history in SQLite: a row per pipeline, per deployed version, per execution and per node run. */
export class SqlitePipelineHistory extends SqliteProjection implements PipelineHistory {
  protected override readonly reads = new Set(PIPELINE_HISTORY.events);
  private readonly subjectVersion;
  private readonly setSubjectVersion;

  constructor(path: string) {
    super(`projection:${PIPELINE_HISTORY.name}`, path, SCHEMA);
    this.subjectVersion = this.db.prepare<[string], { version: number }>('SELECT version FROM subjects WHERE subject = ?');
    this.setSubjectVersion = this.db.prepare(
      'INSERT INTO subjects (subject, version) VALUES (?, ?) ON CONFLICT (subject) DO UPDATE SET version = excluded.version',
    );
  }

  protected applyBatch(batch: StoredEvent[]): void {
    for (const event of batch) {
      if ((this.subjectVersion.get(event.assetId)?.version ?? 0) >= event.assetVersion) continue; // applied already (law 4)
      this.applyEvent(event);
      this.setSubjectVersion.run(event.assetId, event.assetVersion);
    }
  }

  private run(sql: string, ...parameters: unknown[]): void {
    this.statement(sql).run(...parameters);
  }

  private applyEvent(event: StoredEvent): void {
    switch (event.type) {
      case 'PipelineDeployed': {
        const { name, version, definition } = event.payload;
        this.run('INSERT OR REPLACE INTO pipeline_versions (name, version, definition) VALUES (?, ?, ?)', name, version, JSON.stringify(definition));
        // The first deployment enables a pipeline; later ones leave it as it is.
        this.run(
          `INSERT INTO pipelines (name, version, enabled, deployed_at) VALUES (?, ?, 1, ?)
           ON CONFLICT (name) DO UPDATE SET version = excluded.version, deployed_at = excluded.deployed_at`,
          name, version, event.time,
        );
        return;
      }
      case 'PipelineEnabled':
      case 'PipelineDisabled':
        return this.run('UPDATE pipelines SET enabled = ? WHERE name = ?', event.type === 'PipelineEnabled' ? 1 : 0, event.payload.name);
      case 'PipelineExecutionStarted': {
        const { executionId, pipeline, version, trigger } = event.payload;
        return this.run(
          `INSERT OR IGNORE INTO executions (execution_id, pipeline, version, asset_id, status, trigger, started_at) VALUES (?, ?, ?, ?, 'running', ?, ?)`,
          executionId, pipeline, version, event.assetId, JSON.stringify(trigger), event.time,
        );
      }
      case 'PipelineNodeStarted': {
        const { executionId, node, type, attempt } = event.payload;
        return this.run(
          `INSERT INTO execution_nodes (execution_id, node, type, status, attempts) VALUES (?, ?, ?, 'running', ?)
           ON CONFLICT (execution_id, node) DO UPDATE SET status = 'running', attempts = excluded.attempts`,
          executionId, node, type, attempt,
        );
      }
      case 'PipelineNodeFinished': {
        const { executionId, node, type, status, attempts, durationMs, error } = event.payload;
        return this.run(
          'INSERT OR REPLACE INTO execution_nodes (execution_id, node, type, status, attempts, duration_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)',
          executionId, node, type, status, attempts, durationMs, error ? JSON.stringify(error) : null,
        );
      }
      case 'PipelineExecutionFinished': {
        const { executionId, status, durationMs, failedNode, error, outputs } = event.payload;
        return this.run(
          'UPDATE executions SET status = ?, finished_at = ?, duration_ms = ?, failed_node = ?, error = ?, outputs = ? WHERE execution_id = ?',
          status, event.time, durationMs, failedNode ?? null, error ? JSON.stringify(error) : null, JSON.stringify(outputs), executionId,
        );
      }
    }
  }

  async pipelines(): Promise<PipelineSummary[]> {
    return this.statement<[], PipelineRow>(`${PIPELINES} ORDER BY p.name`).all().map(toPipeline);
  }

  async deployed(): Promise<DeployedVersion[]> {
    return this.statement<[], { name: string; version: number; enabled: number }>(`SELECT p.name, p.version, p.enabled FROM ${DEPLOYED} ORDER BY p.name`)
      .all()
      .map((row) => ({ name: row.name, version: row.version, enabled: row.enabled === 1 }));
  }

  async pipeline(name: string): Promise<PipelineSummary | undefined> {
    const row = this.statement<[string], PipelineRow>(`${PIPELINES} WHERE p.name = ?`).get(name);
    return row && toPipeline(row);
  }

  async definition(name: string, version: number) {
    const row = this.statement<[string, number], { definition: string }>('SELECT definition FROM pipeline_versions WHERE name = ? AND version = ?').get(name, version);
    return row && JSON.parse(row.definition);
  }

  async executions(filter: ExecutionFilter = {}): Promise<ExecutionSummary[]> {
    const where: string[] = [];
    const parameters: (string | number)[] = [];
    for (const [column, value] of [['pipeline', filter.pipeline], ['status', filter.status], ['asset_id', filter.assetId], ['version', filter.version]] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      parameters.push(value);
    }
    const sql = `SELECT * FROM executions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, execution_id LIMIT ?`;
    return this.statement<(string | number)[], ExecutionRow>(sql).all(...parameters, filter.limit ?? 100).map(toExecution);
  }

  async execution(executionId: string) {
    const row = this.statement<[string], ExecutionRow>('SELECT * FROM executions WHERE execution_id = ?').get(executionId);
    if (!row) return undefined;
    const nodes = this
      .statement<[string], { node: string; type: string; status: NodeRun['status']; attempts: number; duration_ms: number | null; error: string | null }>(
        'SELECT node, type, status, attempts, duration_ms, error FROM execution_nodes WHERE execution_id = ? ORDER BY rowid',
      )
      .all(executionId)
      .map(({ duration_ms, error, ...node }): NodeRun => ({ ...node, ...(duration_ms !== null && { durationMs: duration_ms }), ...(error !== null && { error: JSON.parse(error) }) }));
    return { ...toExecution(row), nodes };
  }
}
