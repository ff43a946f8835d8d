import type { z } from 'zod';
import type { PayloadOf } from '../../schemas/events';
import type { SecretStore } from '../../storage/secretStore';
import type { DecodedImage } from '../decodedImage';
import type { ProcessorInput, ProcessorResult, ResultEvent } from '../processor';
import type { CollectionLookup } from './collectionMembership';

/** A picture passed between nodes: upright pixels, and whether a node stamped a watermark on them. */
export type PipelineImage = DecodedImage & { watermarked?: boolean };

/**
 * What a node reads and makes, so a definition is checked before it is
 * deployed (definitionCheck.ts): an image (decoded pixels, passed along the
 * edges) or the video original (which only the trigger gives).
 */
export type NodeValue = 'image' | 'video';

/**
 * A node type of the catalogue: its parameters' schema, what it needs and
 * gives, and the work. Like a processor it computes and returns; the
 * execution (execution.ts) retries, times out, writes and appends.
 */
export interface NodeType<P = unknown> {
  readonly type: string;
  readonly description: string;
  readonly parameters: z.ZodType<P>;
  /** Values it reads from the nodes before it, or from the original of a trigger limited to that media type. */
  readonly needs: readonly NodeValue[];
  readonly gives: readonly NodeValue[];
  /** Named results later edges' conditions and the definition's `emits` may read. */
  readonly outputs: readonly string[];
  run(parameters: P, context: NodeContext): Promise<NodeResult>;
}

export interface NodeContext {
  assetId: string;
  /** The asset as it was ingested. */
  asset: PayloadOf<'AssetIngested'>;
  /** Its technical metadata, when extracted. */
  metadata?: PayloadOf<'TechnicalMetadataExtracted'>;
  /** The original as a processor reads it. */
  input: ProcessorInput;
  /** The image the nodes before made, or the original's, upright. */
  image(): Promise<PipelineImage>;
  /** Where an outside service fetches the original: a presigned URL on S3, a file URL on the embedded store. */
  originalUrl(): Promise<string>;
  secrets: SecretStore;
  /** The collections, for nodes that name one. */
  collections: CollectionLookup;
  /** Aborted when the try's time is up. */
  signal: AbortSignal;
  execution: { id: string; pipeline: string; version: number };
}

export interface NodeResult {
  outputs?: Record<string, unknown>;
  image?: PipelineImage;
  events?: ResultEvent[];
  objects?: ProcessorResult['objects'];
  /** Files the node made (a transcode), streamed into the store; then `dispose` removes them. */
  files?: ProcessorResult['files'];
  dispose?: ProcessorResult['dispose'];
}

/** A node's failure: a code, a sentence, and whether another try can help (a 5xx can, a bad parameter cannot). */
export class NodeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly response?: { status: number; body: string },
  ) {
    super(message);
  }
}

export function isNodeError(error: unknown): error is NodeError {
  return error instanceof NodeError;
}
