import { z } from 'zod';
import type { Processor } from '../../processor';
import type { NodeType } from '../node';

/**
 * A fixed processor (metadata, perceptual hash, embeddings) as a node: it
 * runs on the original as it does in the fixed processing, and its events
 * are the execution's.
 */
export function processorNode(type: string, description: string, processor: Processor): NodeType<Record<string, never>> {
  return {
    type,
    description,
    parameters: z.strictObject({}),
    needs: [],
    gives: [],
    outputs: [],
    async run(_parameters, context) {
      const ingested = { type: 'AssetIngested', assetId: context.assetId, payload: context.asset } as Parameters<Processor['accepts']>[0];
      if (!processor.accepts(ingested)) return {};
      const { events, objects } = await processor.process(ingested, context.input);
      return { events, objects };
    },
  };
}
