/**
 * The shapes of the answers whose routes document an open response schema
 * (an asset record, events) or none (pipelines): the server's own types
 * (type-only imports, erased from the bundle), so the UI and the API cannot
 * drift apart.
 */
export type { AssetRecord, AssetStatus } from '../../../projections/assetRecord';
export type { AssetPage } from '../../../projections/assets/assetRecords';
export type { StoredEvent } from '../../../schemas/envelope';
export type { SearchHit } from '../../../projections/search/searchIndex';
export type { DuplicateGroup } from '../../../projections/duplicates/duplicateGroups';
export type { AuditPage } from '../../../projections/audit/auditTrail';
export type { ProjectionStatus } from '../../../projections/lifecycle/lifecycle';
export type { ExecutionSummary, NodeRun } from '../../../projections/pipelines/pipelineHistory';
import type { PipelineSummary as Pipeline } from '../../../projections/pipelines/pipelineHistory';
/** A pipeline as the API shows it: a viewer is not told the counts of its executions (they count the whole library). */
export type PipelineSummary = Omit<Pipeline, 'executions'> & Partial<Pick<Pipeline, 'executions'>>;
export type { PipelineDefinition, PipelineNode, PipelineEdge } from '../../../schemas/pipelines';
