import { z } from 'zod';
import type { NodeType } from './node';
import { addToCollectionNode } from './nodes/addToCollection';
import { httpNode } from './nodes/http';
import { processorNode } from './nodes/processorNode';
import type { ProcessorNodeType } from './processorNodes';
import { publishEventNode } from './nodes/publishEvent';
import { publishEventBridgeNode, type EventBridgeOptions } from './nodes/publishEventBridge';
import { renditionNode } from './nodes/rendition';
import { setMetadataNode } from './nodes/setMetadata';
import { videoNodes, type VideoTools } from './nodes/video';
import { watermarkNode } from './nodes/watermark';

/** Every node type a definition may name, by type. */
export type Catalogue = ReadonlyMap<string, NodeType<never>>;

/** Where the nodes that call AWS send their calls. */
export interface CatalogueServices {
  eventBridge: EventBridgeOptions;
  video: VideoTools;
}

/** The node types of the lake: its processors (processorNodes.ts), and those only pipelines have. */
export function nodeCatalogue(processors: ProcessorNodeType[], services: CatalogueServices): Catalogue {
  const nodes: NodeType<never>[] = [
    renditionNode,
    watermarkNode,
    httpNode,
    setMetadataNode,
    publishEventNode,
    publishEventBridgeNode(services.eventBridge),
    addToCollectionNode,
    ...videoNodes(services.video),
    ...processors.map(processorNode),
  ] as NodeType<never>[];
  return new Map(nodes.map((node) => [node.type, node]));
}

/**
 * The catalogue as the CLI and API list it: what each node does, needs, gives
 * and outputs, and its parameters as JSON Schema (as a definition is written:
 * defaults not required), from which the canvas generates its forms.
 */
export function describeCatalogue(catalogue: Catalogue) {
  return [...catalogue.values()].map(({ type, description, needs, gives, outputs, parameters }) => ({
    type,
    description,
    needs,
    gives,
    outputs,
    parameters: z.toJSONSchema(parameters, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }),
  }));
}
