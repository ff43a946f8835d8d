/**
 * The Cedar schema of medialake's access model (docs/access.md). Roles and
 * groups are what a principal is `in`; an API key is in its user. Assets are
 * in the collections that hold them, collections in their parent (and
 * everything in the library), so a share is a template-linked policy on a
 * Collection that reaches every asset below it.
 */
import type { ShareRole } from '../../schemas/events';

export const NAMESPACE = 'MediaLake';

export const ACTIONS = [
  'view',
  'downloadOriginal',
  'editMetadata',
  'delete',
  'upload',
  'manageCollections',
  'manageCollectionAssets',
  'shareCollection',
  'rebuildProjections',
  'readAudit',
  'reprocess',
  'erase',
  'manageUsers',
  'managePolicies',
  'managePipelines',
  'readMetrics',
] as const;
export type Action = (typeof ACTIONS)[number];

export const CEDAR_SCHEMA = `namespace ${NAMESPACE} {
  entity Role;
  entity Group;
  entity User in [Group, Role];
  entity ApiKey in [User];
  entity Library;
  entity Collection in [Collection, Library];
  entity Asset in [Collection, Library];
  entity Projection in [Library];
  entity AuditLog in [Library];

  action view appliesTo { principal: [User, ApiKey], resource: [Asset, Collection, Projection, Library] };
  action downloadOriginal, editMetadata, delete appliesTo { principal: [User, ApiKey], resource: [Asset, Library] };
  action upload, manageCollections, manageCollectionAssets, shareCollection appliesTo { principal: [User, ApiKey], resource: [Collection, Library] };
  action rebuildProjections appliesTo { principal: [User, ApiKey], resource: [Projection, Library] };
  action readAudit appliesTo { principal: [User, ApiKey], resource: [AuditLog, Library] };
  action reprocess appliesTo { principal: [User, ApiKey], resource: [Asset, Library] };
  action erase, manageUsers, managePolicies, managePipelines, readMetrics appliesTo { principal: [User, ApiKey], resource: Library };
}`;

const actionList = (actions: readonly Action[]) => `[${actions.map((a) => `${NAMESPACE}::Action::"${a}"`).join(', ')}]`;

/** The group whose members (Prometheus's key) may read /metrics, beside admins. */
export const METRICS_GROUP = 'metrics';

/**
 * What each role may do; an operator's policy file (auth.policyFile) adds to
 * these, and its forbids win. A viewer views the library (listings and
 * searches, which show only what is shared with them: api/visibility.ts) and
 * the projections, but an asset or a collection only through a share.
 */
export const DEFAULT_POLICIES = `@id("admin")
permit (principal in ${NAMESPACE}::Role::"admin", action, resource);

@id("editor")
permit (
  principal in ${NAMESPACE}::Role::"editor",
  action in ${actionList(['view', 'downloadOriginal', 'editMetadata', 'delete', 'upload', 'manageCollections', 'manageCollectionAssets', 'shareCollection'])},
  resource
);

@id("viewer")
permit (principal in ${NAMESPACE}::Role::"viewer", action == ${NAMESPACE}::Action::"view", resource)
unless { resource is ${NAMESPACE}::Asset || resource is ${NAMESPACE}::Collection };

@id("metrics")
permit (principal in ${NAMESPACE}::Group::"${METRICS_GROUP}", action == ${NAMESPACE}::Action::"readMetrics", resource);
`;

/**
 * A share of a collection, one template per share role: a link sets
 * ?principal to the User or Group it is shared with and ?resource to the
 * collection; `resource in` reaches its assets and the collections nested
 * under it, at any depth.
 */
export const SHARE_TEMPLATES: Record<ShareRole, string> = {
  viewer: `permit (principal in ?principal, action == ${NAMESPACE}::Action::"view", resource in ?resource);`,
  editor: `permit (principal in ?principal, action in ${actionList(['view', 'downloadOriginal', 'editMetadata', 'manageCollectionAssets'])}, resource in ?resource);`,
};
