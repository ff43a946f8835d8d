import type { PayloadOf } from '../../schemas/events';
import type { ProjectionDefinition, ProjectionStore } from '../projection';

/**
 * The pipelines and their executions, folded from the definition events
 * (under each pipeline's subject) and the execution events (on the assets).
 * The pipeline runner reads what is deployed and enabled from it, so a
 * deployment takes effect without a restart.
 */
export const PIPELINE_HISTORY: ProjectionDefinition = {
  name: 'pipelines',
  version: 1,
  events: ['PipelineDeployed', 'PipelineEnabled', 'PipelineDisabled', 'PipelineExecutionStarted', 'PipelineNodeStarted', 'PipelineNodeFinished', 'PipelineExecutionFinished'],
  description: 'the pipelines users defined, their versions, and every execution with its nodes',
};

export type DeployedVersion = Pick<PipelineSummary, 'name' | 'version' | 'enabled'>;

export interface PipelineSummary {
  name: string;
  /** The version deployed last: what new triggers run. */
  version: number;
  enabled: boolean;
  deployedAt: string;
  /** The deployed version's definition, as it was checked at deploy. */
  definition: PayloadOf<'PipelineDeployed'>['definition'];
  executions: { running: number; completed: number; failed: number };
}

export type ExecutionStatus = 'running' | 'completed' | 'failed';

export interface ExecutionSummary {
  executionId: string;
  pipeline: string;
  version: number;
  assetId: string;
  status: ExecutionStatus;
  trigger: PayloadOf<'PipelineExecutionStarted'>['trigger'];
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  failedNode?: string;
  error?: PayloadOf<'PipelineExecutionFinished'>['error'];
  outputs?: Record<string, unknown>;
}

export interface NodeRun {
  node: string;
  type: string;
  status: 'running' | 'succeeded' | 'failed' | 'skipped';
  attempts: number;
  durationMs?: number;
  error?: PayloadOf<'PipelineNodeFinished'>['error'];
}

export interface ExecutionFilter {
  pipeline?: string;
  status?: ExecutionStatus;
  assetId?: string;
  version?: number;
  limit?: number;
}

export interface PipelineHistory extends ProjectionStore {
  pipelines(): Promise<PipelineSummary[]>;
  /** Each pipeline's deployed version and whether it is enabled, without the counts of its executions: what a runner reads for every batch. */
  deployed(): Promise<DeployedVersion[]>;
  pipeline(name: string): Promise<PipelineSummary | undefined>;
  /** A deployed version's definition. */
  definition(name: string, version: number): Promise<PipelineSummary['definition'] | undefined>;
  /** Newest first. */
  executions(filter?: ExecutionFilter): Promise<ExecutionSummary[]>;
  execution(executionId: string): Promise<(ExecutionSummary & { nodes: NodeRun[] }) | undefined>;
}
