import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { PipelineDefinition, PipelineNode } from '../../schemas/pipelines';
import type { Processor } from '../processor';
import type { ProcessorNodeType } from './processorNodes';

/**
 * The default pipelines: the lake's own processing, shipped as definitions
 * (defaults/*.yaml) whose nodes are the lake's processors. The lake deploys
 * them when it opens; the processor runner runs them, each node as its
 * processor under its own consumer group (`processor:NAME`), so their
 * events, ids, failures, dead letters and `reprocess` are the processors'.
 */

const FOLDER = join(import.meta.dirname, 'defaults');

/** The shipped definitions by name, as written. */
export const SHIPPED_DEFAULTS: ReadonlyMap<string, Record<string, unknown>> = new Map(
  readdirSync(FOLDER)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => parse(readFileSync(join(FOLDER, file), 'utf8')) as Record<string, unknown>)
    .map((definition) => [definition.name as string, definition]),
);

export const isDefaultPipeline = (name: string): boolean => SHIPPED_DEFAULTS.has(name);

/** A default's deployed version, and whether it runs. */
export interface DeployedDefault {
  definition: PipelineDefinition;
  enabled: boolean;
}

const UNSET_NODE = PipelineNode.parse({ id: 'n', type: 't' });

/**
 * What a version of a default may change: its nodes' parameters, and which
 * of its shipped nodes it keeps. Its nodes are processors, each a consumer
 * group of its own, so there is no edge, no output to emit, no trigger but
 * the shipped one (the processors take what they take), and the retries are
 * the processors' (processors.attempts, processors.backoffMs).
 */
export function defaultVersionProblems(definition: PipelineDefinition): string[] {
  const shipped = PipelineDefinition.parse(SHIPPED_DEFAULTS.get(definition.name));
  const types = shipped.nodes.map((node) => node.type);
  const problems: string[] = [];
  const rule = `${definition.name} is a default pipeline, run by the processors`;
  if (!isDeepStrictEqual(definition.trigger, shipped.trigger)) problems.push(`trigger: ${rule}: its trigger is the shipped one, ${JSON.stringify(shipped.trigger)}`);
  if (definition.edges.length) problems.push(`edges: ${rule}, each on its own: it has no edges`);
  if (definition.emits.length) problems.push(`emits: ${rule}: it emits nothing`);
  definition.nodes.forEach((node, index) => {
    if (!types.includes(node.type)) problems.push(`nodes[${index}].type: ${rule}: its nodes are of ${types.join(', ')}`);
    else if (definition.nodes.findIndex((other) => other.type === node.type) !== index) problems.push(`nodes[${index}].type: ${node.type} is in ${definition.name} once`);
    if (!isDeepStrictEqual([node.retry, node.timeoutMs], [UNSET_NODE.retry, UNSET_NODE.timeoutMs])) {
      problems.push(`nodes[${index}]: ${rule}: retries are processors.attempts and processors.backoffMs, with no retry or timeoutMs of its own`);
    }
  });
  return problems;
}

/** The processors the enabled defaults run: all of them in the catalogue's order, and by pipeline. */
export interface DefaultProcessors {
  all: Processor[];
  byPipeline: Map<string, Processor[]>;
}

/** Builds them from the deployed versions' nodes: none of a node type the lake lacks (embeddings without a model). */
export function processorsOfDefaults(defaults: DeployedDefault[], types: ProcessorNodeType[]): DefaultProcessors {
  const result: DefaultProcessors = { all: [], byPipeline: new Map(defaults.filter(({ enabled }) => enabled).map(({ definition }) => [definition.name, []])) };
  for (const type of types) {
    for (const { definition } of defaults.filter(({ enabled }) => enabled)) {
      for (const node of definition.nodes.filter((n) => n.type === type.type)) {
        const processor = type.build(node.parameters);
        result.all.push(processor);
        result.byPipeline.get(definition.name)!.push(processor);
      }
    }
  }
  return result;
}

/**
 * The box of the decode the image processors share (processors/readOnce.ts):
 * the largest proxy an enabled default makes, never under processors.proxySize,
 * so the hashes and embeddings of an unchanged lake see the pixels they always saw.
 */
export function sharedDecodeBox(defaults: DeployedDefault[], proxySize: number): number {
  const sizes = defaults.filter(({ enabled }) => enabled).flatMap(({ definition }) => definition.nodes.map((node) => (node.parameters as { proxySize?: number }).proxySize ?? 0));
  return Math.max(proxySize, ...sizes);
}
