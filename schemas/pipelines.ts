import { z } from 'zod';
import { MediaType } from './events';

/**
 * A pipeline definition as users write it (JSON or YAML): a trigger, nodes from
 * the catalogue (processors/pipelines/catalogue.ts) and the edges between
 * them. This schema checks the shape; processors/pipelines/definitionCheck.ts
 * checks what needs the catalogue (node types, parameters, inputs, cycles).
 * Strict objects throughout, so a misspelt field is refused, never ignored.
 */

export const PIPELINE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
export const PipelineName = z.string().regex(PIPELINE_NAME, 'a pipeline name is 1–63 of a-z 0-9 -, starting with a letter');
/**
 * Names the API's /pipelines routes use as words of their own
 * (GET /pipelines/executions, /pipelines/catalogue, /pipelines/schema,
 * POST /pipelines/check): a pipeline so named could be deployed and never
 * read. Refused when deployed (definitionCheck.ts), not in this schema: a
 * log that already holds one still reads.
 */
export const ROUTE_WORDS = ['catalogue', 'check', 'executions', 'schema'];
const NodeId = z.string().regex(/^[a-z][a-zA-Z0-9_-]{0,62}$/, 'a node id is 1–63 of letters, digits, _ and -, starting with a-z');

/** What a condition compares: `asset.FIELD` (the ingest), `metadata.FIELD` (technical metadata) or `nodes.ID.OUTPUT`. */
const ConditionPath = z.string().regex(/^(asset|metadata|nodes\.[a-zA-Z0-9_-]+)\.[a-zA-Z0-9_.]+$/, 'a path is asset.FIELD, metadata.FIELD or nodes.ID.OUTPUT');
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/** One test on a value; every operator given must hold. */
export const Condition = z
  .strictObject({
    path: ConditionPath,
    equals: Scalar.optional(),
    notEquals: Scalar.optional(),
    in: z.array(Scalar).min(1).optional(),
    greaterThan: z.number().optional(),
    lessThan: z.number().optional(),
    exists: z.boolean().optional(),
  })
  .refine((c) => Object.keys(c).length > 1, { message: 'a condition needs an operator: equals, notEquals, in, greaterThan, lessThan or exists' });
export type Condition = z.infer<typeof Condition>;

/** Which assets an asset trigger takes; every filter given must match. */
export const AssetFilter = z.strictObject({
  mediaType: z.array(MediaType).min(1).optional(),
  mimeType: z.array(z.string().min(1)).min(1).optional(),
  /** File endings, as ".jpg", any case. */
  extension: z.array(z.string().regex(/^\.[a-zA-Z0-9]+$/, 'an extension is like .jpg')).min(1).optional(),
  minSize: z.number().int().nonnegative().optional(),
  maxSize: z.number().int().nonnegative().optional(),
  /** The S3 bucket the object arrived in (s3 origins only). */
  bucket: z.string().min(1).optional(),
  /** The start of the object's key (s3) or of its path under the ingested folder (directory, watch, upload name). */
  prefix: z.string().min(1).optional(),
  /** Tests on `metadata.FIELD`: they need the `metadata` event, when the technical metadata is known. */
  metadata: z.array(Condition).min(1).optional(),
  /** A collection (its id or name) the asset is in, directly or through a collection nested under it, as visibility counts membership. */
  collection: z.string().trim().min(1).max(200).optional(),
});
export type AssetFilter = z.infer<typeof AssetFilter>;

export const Trigger = z.discriminatedUnion('on', [
  z.strictObject({
    on: z.literal('asset'),
    /** ingested: when the asset arrives; metadata: when its technical metadata is extracted (for metadata filters); collection: when it is added to a collection. */
    event: z.enum(['ingested', 'metadata', 'collection']).default('ingested'),
    filter: AssetFilter.default({}),
  }),
  z.strictObject({
    on: z.literal('pipeline'),
    pipeline: PipelineName,
    status: z.enum(['completed', 'failed']).default('completed'),
  }),
  /** Only runs asked for (CLI, API, backfill). Every pipeline can be run by hand; this one runs no other way. */
  z.strictObject({ on: z.literal('manual') }),
  /** POST /pipelines/NAME/webhook with the secret in X-Medialake-Secret, naming the assets to run on. */
  z.strictObject({ on: z.literal('webhook'), secret: z.string().min(1).max(200) }),
]);
export type Trigger = z.infer<typeof Trigger>;

export const RetryPolicy = z.strictObject({
  /** Tries in all, the first included. */
  attempts: z.number().int().min(1).max(10).default(3),
  /** Before the second try; doubled before each further one. */
  backoffMs: z.number().int().min(0).max(600_000).default(500),
});

export const PipelineNode = z.strictObject({
  id: NodeId,
  /** A catalogue node type: watermark, rendition, http, … */
  type: z.string().min(1),
  parameters: z.record(z.string(), z.unknown()).default({}),
  retry: RetryPolicy.prefault({}),
  /** Each try's limit. */
  timeoutMs: z.number().int().min(1).max(3_600_000).default(60_000),
});
export type PipelineNode = z.infer<typeof PipelineNode>;

/** `from` runs before `to`; with `when`, `to` runs only if it holds. Nodes with no edge between them run in parallel. */
export const PipelineEdge = z.strictObject({ from: NodeId, to: NodeId, when: Condition.optional() });
export type PipelineEdge = z.infer<typeof PipelineEdge>;

/** The largest definition, as text: what the API's body limit takes (Fastify's 1 MiB), from a file just as over HTTP. */
export const DEFINITION_MAX_BYTES = 1024 * 1024;

export const PipelineDefinition = z.strictObject({
  name: PipelineName,
  /** Deploying a higher version changes what new triggers run; the same version must hold the same definition. */
  version: z.number().int().min(1),
  description: z.string().max(2000).optional(),
  trigger: Trigger,
  nodes: z.array(PipelineNode).min(1).max(100),
  edges: z.array(PipelineEdge).max(1000).default([]),
  /** Node outputs (`nodes.ID.OUTPUT`) copied onto the completion event, for pipelines triggered by this one. */
  emits: z.array(z.string().regex(/^nodes\.[a-zA-Z0-9_-]+\.[a-zA-Z0-9_]+$/, 'an emitted value is nodes.ID.OUTPUT')).max(50).default([]),
});
export type PipelineDefinition = z.infer<typeof PipelineDefinition>;

/** The definition as JSON Schema, for editors and the canvas. */
export function pipelineJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PipelineDefinition, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
}
