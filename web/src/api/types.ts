/**
 * The shapes of the answers whose routes document no response schema: the
 * server's own types (type-only imports, erased from the bundle), so the UI
 * and the API cannot drift apart.
 */
export type { AssetRecord, AssetStatus } from '../../../projections/assetRecord';
export type { AssetPage } from '../../../projections/assets/assetRecords';
export type { StoredEvent } from '../../../schemas/envelope';
export type { SearchHit } from '../../../projections/search/searchIndex';
export type { DuplicateGroup } from '../../../projections/duplicates/duplicateGroups';
export type { AuditPage } from '../../../projections/audit/auditTrail';
export type { ProjectionStatus } from '../../../projections/lifecycle/lifecycle';
export type { PipelineSummary, ExecutionSummary, NodeRun } from '../../../projections/pipelines/pipelineHistory';
export type { PipelineDefinition, PipelineNode, PipelineEdge } from '../../../schemas/pipelines';
