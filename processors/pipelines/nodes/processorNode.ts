import type { Processor } from '../../processor';
import type { NodeType } from '../node';
import type { ProcessorNodeType } from '../processorNodes';

/**
 * A lake processor as a node of a user's pipeline: built from the node's
 * parameters, it runs on the original as it does in the default pipelines,
 * and its events are the execution's.
 */
export function processorNode<P>(spec: ProcessorNodeType<P>): NodeType<P> {
  return {
    type: spec.type,
    description: spec.description,
    parameters: spec.parameters,
    needs: [],
    gives: [],
    outputs: [],
    async run(parameters, context) {
      const processor = spec.build(parameters);
      const ingested = { type: 'AssetIngested', assetId: context.assetId, payload: context.asset } as Parameters<Processor['accepts']>[0];
      if (!processor.accepts(ingested)) return {};
      const { events, objects, files, dispose } = await processor.process(ingested, context.input);
      return { events, objects, files, dispose };
    },
  };
}
