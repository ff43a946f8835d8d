/**
 * The Cedar schema of medialake's access model (docs/access.md). Roles and
 * groups are what a principal is `in`; an API key is in its user. Assets are
 * in the collections that hold them (and every collection in the library),
 * so a share can later be a template-linked policy on a Collection:
 * `permit (principal == ?principal, action in Action::"viewer", resource in ?resource)`.
 */
export const NAMESPACE = 'MediaLake';

export const ACTIONS = [
  'view',
  'downloadOriginal',
  'editMetadata',
  'delete',
  'upload',
  'manageCollections',
  'shareCollection',
  'rebuildProjections',
  'readAudit',
  'erase',
  'manageUsers',
  'managePolicies',
  'managePipelines',
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
  action upload, manageCollections, shareCollection appliesTo { principal: [User, ApiKey], resource: [Collection, Library] };
  action rebuildProjections appliesTo { principal: [User, ApiKey], resource: [Projection, Library] };
  action readAudit appliesTo { principal: [User, ApiKey], resource: [AuditLog, Library] };
  action erase, manageUsers, managePolicies, managePipelines appliesTo { principal: [User, ApiKey], resource: Library };
}`;

/** What each role may do library-wide; an operator's policy file (auth.policyFile) adds to these, and its forbids win. */
export const DEFAULT_POLICIES = `@id("admin")
permit (principal in ${NAMESPACE}::Role::"admin", action, resource);

@id("editor")
permit (
  principal in ${NAMESPACE}::Role::"editor",
  action in [${['view', 'downloadOriginal', 'editMetadata', 'delete', 'upload', 'manageCollections', 'shareCollection'].map((a) => `${NAMESPACE}::Action::"${a}"`).join(', ')}],
  resource
);

@id("viewer")
permit (principal in ${NAMESPACE}::Role::"viewer", action == ${NAMESPACE}::Action::"view", resource);
`;
