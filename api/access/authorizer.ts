import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { CollectionShare } from '../../projections/collections/collections';
import type { Principal } from '../principal';
import { CEDAR_SCHEMA, DEFAULT_POLICIES, NAMESPACE, SHARE_TEMPLATES, type Action } from './cedarSchema';

/**
 * A Cedar entity: its type within the namespace ("Asset") and its id; for an
 * asset or a collection, where it sits among the collections
 * (api/access/placement.ts), which is what a share reaches.
 */
export interface Resource {
  type: 'Asset' | 'Collection' | 'Projection' | 'AuditLog' | 'Library';
  id: string;
  /** The collections it is directly in: an asset's, or a collection's parent. */
  parents?: readonly string[];
  /** Every collection above it, each with its own parent (null at the top). */
  nesting?: Readonly<Record<string, string | null>>;
}

/** The whole lake: the resource of listings, searches and uploads, and the parent of everything else. */
export const LIBRARY: Resource = { type: 'Library', id: 'lake' };

export class PolicyError extends Error {
  readonly code = 'INVALID_POLICY';
}

const uid = (type: string, id: string) => ({ type: `${NAMESPACE}::${type}`, id });

/** "line L" of an offset into the text. */
function lineOf(text: string, offset: number | undefined): string {
  return offset === undefined ? 'a line' : `line ${text.slice(0, offset).split('\n').length}`;
}

function firstProblem(text: string, errors: cedar.DetailedError[]): string {
  const error = errors[0]!;
  return `${lineOf(text, error.sourceLocations?.[0]?.start)}: ${error.message}${error.help ? ` (${error.help})` : ''}`;
}

/** Reads an operator's policies and checks them against the schema: a bad one is a PolicyError naming its file and line. */
function operatorPolicies(file: string | undefined): string {
  if (!file) return '';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(`cannot read the policy file ${file}: ${(error as Error).message}`);
  }
  const parsed = cedar.checkParsePolicySet({ staticPolicies: text });
  if (parsed.type === 'failure') throw new PolicyError(`the policy file ${file} does not parse at ${firstProblem(text, parsed.errors)}`);
  const checked = cedar.validate({ schema: CEDAR_SCHEMA, policies: { staticPolicies: text } });
  if (checked.type === 'failure') throw new PolicyError(`the policy file ${file} cannot be checked: ${firstProblem(text, checked.errors)}`);
  if (checked.validationErrors.length) {
    throw new PolicyError(`the policy file ${file} does not fit the schema at ${firstProblem(text, checked.validationErrors.map((e) => e.error))}`);
  }
  return text;
}

/** The principal as Cedar sees it: a user in its roles and groups, and the API key it came with (in that user). */
function principalEntities(principal: Principal) {
  const user = uid('User', principal.id);
  const parents = [...principal.roles.map((role) => uid('Role', role)), ...principal.groups.map((group) => uid('Group', group))];
  const entities = [{ uid: user, attrs: {}, parents }];
  if (!principal.keyId) return { entity: user, entities };
  const key = uid('ApiKey', principal.keyId);
  return { entity: key, entities: [...entities, { uid: key, attrs: {}, parents: [user] }] };
}

/** Where a resource sits: in its collections (each in its parent) and in the library. */
function resourceEntities(resource: Resource) {
  const library = uid(LIBRARY.type, LIBRARY.id);
  const inCollections = (ids: readonly (string | null)[]) => [...ids.flatMap((id) => (id ? [uid('Collection', id)] : [])), library];
  const target = { uid: uid(resource.type, resource.id), attrs: {}, parents: resource.type === 'Library' ? [] : inCollections(resource.parents ?? []) };
  const collections = Object.entries(resource.nesting ?? {}).map(([id, parent]) => ({ uid: uid('Collection', id), attrs: {}, parents: inCollections([parent]) }));
  return [target, ...collections];
}

/** A share as a link of its role's template: the user (or group) it is shared with, on the collection. */
const shareLink = (share: CollectionShare): cedar.TemplateLink => ({
  templateId: `collection-${share.role}`,
  newId: `share:${share.collectionId}:${share.subject.kind}:${share.subject.id}`,
  values: { '?principal': uid(share.subject.kind === 'group' ? 'Group' : 'User', share.subject.id), '?resource': uid('Collection', share.collectionId) },
});

const TEMPLATES = Object.fromEntries(Object.entries(SHARE_TEMPLATES).map(([role, template]) => [`collection-${role}`, template]));

/** Decisions remembered before the memo is started afresh: a bound on its memory. */
const DECISIONS_MAX = 10_000;

/**
 * The one place that decides who may do what: Cedar, in process, on the
 * default policies plus the operator's. The schema and policy set are parsed
 * once (at start) and kept by Cedar. A decision is a pure function of the
 * policies (fixed for the process) and the request as Cedar sees it (the
 * principal with its roles and groups, the action, the resource), so it is
 * remembered under all of those: a changed role is another request, and a
 * revoked key or disabled user never reaches here (authentication reads the
 * principals projection on every request). Shares are template-linked
 * policies: when they change (useShares), the policy set is linked afresh and
 * the remembered decisions are forgotten.
 */
export class Authorizer {
  private readonly policies: string;
  private readonly policySetId: string;
  private readonly schemaId = 'medialake';
  private readonly decisions = new Map<string, boolean>();
  /** The shares linked into the policy set, as JSON. */
  private linked: string | undefined;

  constructor(policyFile?: string) {
    this.policies = `${DEFAULT_POLICIES}\n${operatorPolicies(policyFile)}`;
    this.policySetId = createHash('sha256').update(this.policies).digest('hex');
    const schema = cedar.preparseSchema(this.schemaId, CEDAR_SCHEMA);
    if (schema.type === 'failure') throw new PolicyError(`the Cedar schema does not parse: ${schema.errors[0]?.message}`);
    this.useShares([]);
  }

  /** Links the collections' shares (the collections projection's) into the policy set, when they differ from those linked. */
  useShares(shares: readonly CollectionShare[]): void {
    const linked = JSON.stringify(shares);
    if (linked === this.linked) return;
    const parsed = cedar.preparsePolicySet(this.policySetId, { staticPolicies: this.policies, templates: TEMPLATES, templateLinks: shares.map(shareLink) });
    if (parsed.type === 'failure') throw new PolicyError(`the policies do not parse: ${parsed.errors[0]?.message}`);
    this.linked = linked;
    this.decisions.clear();
  }

  isAllowed(principal: Principal, action: Action, resource: Resource): boolean {
    const request = JSON.stringify([principal.id, principal.keyId, principal.roles, principal.groups, action, resource]);
    let allowed = this.decisions.get(request);
    if (allowed === undefined) {
      allowed = this.decide(principal, action, resource);
      if (this.decisions.size >= DECISIONS_MAX) this.decisions.clear();
      this.decisions.set(request, allowed);
    }
    return allowed;
  }

  private decide(principal: Principal, action: Action, resource: Resource): boolean {
    const { entity, entities } = principalEntities(principal);
    const answer = cedar.statefulIsAuthorized({
      principal: entity,
      action: uid('Action', action),
      resource: uid(resource.type, resource.id),
      context: {},
      preparsedPolicySetId: this.policySetId,
      preparsedSchemaName: this.schemaId,
      validateRequest: true,
      entities: [...entities, ...resourceEntities(resource)],
    });
    if (answer.type === 'failure') throw new Error(`Cedar could not decide: ${answer.errors[0]?.message}`);
    return answer.response.decision === 'allow';
  }
}
