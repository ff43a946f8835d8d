import type { AssetRecords, ListOptions } from '../assets/assetRecords';
import type { AuditQuery, AuditTrail } from '../audit/auditTrail';
import type { CameraFilter, CameraInventory } from '../cameras/cameraInventory';
import type { Collections, ShareHolder } from '../collections/collections';
import type { ShareRole } from '../../schemas/events';
import type { DuplicateGroups, DuplicatePage } from '../duplicates/duplicateGroups';
import type { PrincipalDirectory } from '../principals/principalDirectory';
import type { ExecutionFilter, PipelineHistory } from '../pipelines/pipelineHistory';
import type { SearchIndex, SearchQuery, Visible } from '../search/searchIndex';
import type { SqliteProjection } from '../sqliteProjection';
import type { EmbeddingModel, VectorIndex, VectorQuery } from '../vectors/vectorIndex';
import { RebuildableSqliteProjection } from './sqliteGenerations';

/**
 * The embedded read models as the lake holds them: each query goes to the
 * live generation (RebuildableSqliteProjection). Spelled out, one line per
 * query, so that a query added to a read model's interface is a type error
 * here until it is passed on.
 */

export class RebuildableSqliteAssetRecords extends RebuildableSqliteProjection<SqliteProjection & AssetRecords> implements AssetRecords {
  get(assetId: string) {
    return this.live.get(assetId);
  }
  list(options: ListOptions) {
    return this.live.list(options);
  }
  countByStatus() {
    return this.live.countByStatus();
  }
  findBySha256(sha256: string) {
    return this.live.findBySha256(sha256);
  }
  findByS3Object(bucket: string, key: string) {
    return this.live.findByS3Object(bucket, key);
  }
}

export class RebuildableSqliteSearchIndex extends RebuildableSqliteProjection<SqliteProjection & SearchIndex> implements SearchIndex {
  search(query: SearchQuery) {
    return this.live.search(query);
  }
}

export class RebuildableSqliteVectorIndex extends RebuildableSqliteProjection<SqliteProjection & VectorIndex> implements VectorIndex {
  knn(query: VectorQuery) {
    return this.live.knn(query);
  }
  vectorOf(assetId: string, model: EmbeddingModel) {
    return this.live.vectorOf(assetId, model);
  }
  models() {
    return this.live.models();
  }
}

export class RebuildableSqliteDuplicateGroups
  extends RebuildableSqliteProjection<SqliteProjection & DuplicateGroups>
  implements DuplicateGroups
{
  groupOf(assetId: string, visible?: Visible) {
    return this.live.groupOf(assetId, visible);
  }
  list(options: DuplicatePage) {
    return this.live.list(options);
  }
}

export class RebuildableSqliteCameraInventory
  extends RebuildableSqliteProjection<SqliteProjection & CameraInventory>
  implements CameraInventory
{
  counts(filter?: CameraFilter) {
    return this.live.counts(filter);
  }
}

export class RebuildableSqliteAuditTrail extends RebuildableSqliteProjection<SqliteProjection & AuditTrail> implements AuditTrail {
  query(query: AuditQuery) {
    return this.live.query(query);
  }
  sql(statement: string, parameters?: Record<string, unknown>) {
    return this.live.sql(statement, parameters);
  }
}

export class RebuildableSqliteCollections extends RebuildableSqliteProjection<SqliteProjection & Collections> implements Collections {
  get(id: string) {
    return this.live.get(id);
  }
  list(within?: readonly string[]) {
    return this.live.list(within);
  }
  ancestors(id: string) {
    return this.live.ancestors(id);
  }
  hasChildren(id: string) {
    return this.live.hasChildren(id);
  }
  sharedWith(holder: ShareHolder, roles: readonly ShareRole[]) {
    return this.live.sharedWith(holder, roles);
  }
  shares() {
    return this.live.shares();
  }
  favourites(principalId: string) {
    return this.live.favourites(principalId);
  }
}

export class RebuildableSqlitePrincipalDirectory
  extends RebuildableSqliteProjection<SqliteProjection & PrincipalDirectory>
  implements PrincipalDirectory
{
  users() {
    return this.live.users();
  }
  userNamed(name: string) {
    return this.live.userNamed(name);
  }
  userWithKey(keyId: string) {
    return this.live.userWithKey(keyId);
  }
}

export class RebuildableSqlitePipelineHistory
  extends RebuildableSqliteProjection<SqliteProjection & PipelineHistory>
  implements PipelineHistory
{
  pipelines() {
    return this.live.pipelines();
  }
  deployed() {
    return this.live.deployed();
  }
  pipeline(name: string) {
    return this.live.pipeline(name);
  }
  definition(name: string, version: number) {
    return this.live.definition(name, version);
  }
  executions(filter?: ExecutionFilter) {
    return this.live.executions(filter);
  }
  execution(executionId: string) {
    return this.live.execution(executionId);
  }
}
