import { parse } from 'yaml';
import type { z } from 'zod';
import { PipelineDefinition, ROUTE_WORDS, type Condition } from '../../schemas/pipelines';
import type { Catalogue } from './catalogue';
import { defaultVersionProblems, isDefaultPipeline } from './defaults';
import type { NodeValue } from './node';
import { retryProblems } from './retryPolicy';

/**
 * The renditions the lake's own processors make (processors/renditions.ts,
 * videoRenditions.ts, audioRenditions.ts, videoFrames.ts): a user's node
 * that made one of them would overwrite it, and the web UI, search and
 * similarity read them as the lake made them.
 */
export const LAKE_RENDITION_NAMES: readonly string[] = ['thumbnail', 'proxy', 'poster', 'waveform', 'peaks', 'frames', 'scrub-sprite', 'scrub-vtt'];

/**
 * The nodes that make a rendition by the name they are given. The video-scrub
 * node is not among them: its default, `scrub`, makes the lake's own scrub
 * strip again by design (docs/pipelines.md), the same strip the video
 * processor makes.
 */
const NAMED_RENDITION_NODES = new Set(['rendition', 'video-proxy', 'video-poster']);

/** A definition refused before deploy: every problem, each naming its place (`nodes[1].parameters.size: …`). */
export class InvalidPipelineError extends Error {
  readonly code = 'INVALID_PIPELINE';
  constructor(readonly problems: string[]) {
    super(`the pipeline definition is invalid: ${problems.join('; ')}`);
  }
}

export function isInvalidPipeline(error: unknown): error is InvalidPipelineError {
  return error instanceof InvalidPipelineError;
}

/** A definition file's text, YAML or JSON (JSON is YAML), as data for checkDefinition. */
export function definitionFromText(text: string): unknown {
  try {
    return parse(text);
  } catch (error) {
    // The parser's first line ("… at line 5, column 1:"), without the excerpt it introduces; its advice to read several documents is not ours.
    const why = (error as { code?: string }).code === 'MULTIPLE_DOCS' ? 'it holds more than one YAML document (a line of --- starts another): one definition a file' : (error as Error).message.split('\n')[0]!.replace(/:$/, '');
    throw new InvalidPipelineError([`the text is neither YAML nor JSON: ${why}`]);
  }
}

const issuesOf = (error: z.ZodError, prefix: string) =>
  error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))].join('').replace(/^\./, '');
    return `${path || '(root)'}: ${issue.message}`;
  });

/** Node ids in an order where every edge goes forward, or the ids left on a cycle. */
export function topologicalOrder(ids: string[], edges: { from: string; to: string }[]): { order: string[]; cycle: string[] } {
  const incoming = new Map(ids.map((id) => [id, 0]));
  for (const edge of edges) incoming.set(edge.to, (incoming.get(edge.to) ?? 0) + 1);
  const ready = ids.filter((id) => incoming.get(id) === 0);
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const edge of edges.filter((e) => e.from === id)) {
      const left = incoming.get(edge.to)! - 1;
      incoming.set(edge.to, left);
      if (left === 0) ready.push(edge.to);
    }
  }
  return { order, cycle: ids.filter((id) => !order.includes(id)) };
}

function ancestorsOf(id: string, edges: { from: string; to: string }[], seen = new Set<string>()): Set<string> {
  for (const edge of edges.filter((e) => e.to === id && !seen.has(e.from))) {
    seen.add(edge.from);
    ancestorsOf(edge.from, edges, seen);
  }
  return seen;
}

/**
 * Parses and checks a definition against the catalogue: the shape, then node
 * types and their parameters, edges naming nodes, no cycle, every node's
 * needs met by the nodes before it or by the trigger, and conditions and
 * emitted values naming outputs of nodes that run before.
 */
export function checkDefinition(candidate: unknown, catalogue: Catalogue): PipelineDefinition {
  const shape = PipelineDefinition.safeParse(candidate);
  if (!shape.success) throw new InvalidPipelineError(issuesOf(shape.error, ''));
  const definition = shape.data;
  const problems: string[] = [];
  if (ROUTE_WORDS.includes(definition.name)) problems.push(`name: "${definition.name}" is a word of the API's paths (/pipelines/${definition.name}): name the pipeline otherwise`);
  const ids = definition.nodes.map((node) => node.id);
  const indexOf = new Map(ids.map((id, index) => [id, index]));
  ids.forEach((id, index) => ids.indexOf(id) !== index && problems.push(`nodes[${index}].id: "${id}" is the id of nodes[${ids.indexOf(id)}] too`));

  definition.nodes.forEach((node, index) => {
    const type = catalogue.get(node.type);
    if (!type) return problems.push(`nodes[${index}].type: unknown node "${node.type}" (the catalogue has ${[...catalogue.keys()].join(', ')})`);
    const parameters = type.parameters.safeParse(node.parameters);
    if (parameters.success) node.parameters = parameters.data as Record<string, unknown>;
    else problems.push(...issuesOf(parameters.error, `nodes[${index}].parameters`));
    if (parameters.success && NAMED_RENDITION_NODES.has(type.type)) {
      const { name } = node.parameters as { name: string };
      if (LAKE_RENDITION_NAMES.includes(name)) {
        problems.push(`nodes[${index}].parameters.name: "${name}" is a rendition the lake makes itself (${LAKE_RENDITION_NAMES.join(', ')}): name yours otherwise`);
      }
    }
  });
  if (!isDefaultPipeline(definition.name)) definition.nodes.forEach((node, index) => problems.push(...retryProblems(node, `nodes[${index}]`)));

  const edges = definition.edges.filter((edge, index) => {
    const unknown = (['from', 'to'] as const).filter((end) => !indexOf.has(edge[end]));
    for (const end of unknown) problems.push(`edges[${index}].${end}: there is no node "${edge[end]}"`);
    return unknown.length === 0;
  });
  const { cycle } = topologicalOrder(ids, edges);
  if (cycle.length) problems.push(`edges: a cycle through ${cycle.map((id) => `"${id}"`).join(', ')}: a pipeline runs each node once`);
  else problems.push(...flowProblems(definition, edges, catalogue));

  const { trigger } = definition;
  if (trigger.on === 'asset' && trigger.filter.metadata && trigger.event === 'ingested') {
    problems.push('trigger.filter.metadata: metadata is known only once extracted: set trigger.event to "metadata"');
  }
  if (trigger.on === 'asset' && trigger.filter.collection && trigger.event === 'ingested') {
    problems.push('trigger.filter.collection: an asset is in no collection as it is ingested: set trigger.event to "collection" (when it is added) or "metadata"');
  }
  if (trigger.on === 'asset' && trigger.event === 'ingested') {
    // Judged at the ingest, a condition on metadata would see it or not as the extraction happened to race the run.
    definition.edges.forEach((edge, index) => {
      if (edge.when?.path.startsWith('metadata.')) problems.push(`edges[${index}].when.path: metadata is known only once extracted: set trigger.event to "metadata"`);
    });
  }
  if (trigger.on === 'asset' && trigger.filter.minSize !== undefined && trigger.filter.maxSize !== undefined && trigger.filter.minSize > trigger.filter.maxSize) {
    problems.push(`trigger.filter.minSize: ${trigger.filter.minSize} is above maxSize ${trigger.filter.maxSize}: no asset would pass`);
  }
  if (trigger.on === 'pipeline' && trigger.pipeline === definition.name) problems.push('trigger.pipeline: a pipeline cannot be triggered by its own end');
  if (trigger.on === 'pipeline' && isDefaultPipeline(trigger.pipeline)) {
    problems.push(`trigger.pipeline: ${trigger.pipeline} runs as processors and records no executions, so its end triggers nothing: trigger on the asset event instead (on: asset)`);
  }
  if (isDefaultPipeline(definition.name)) problems.push(...defaultVersionProblems(definition));
  if (problems.length) throw new InvalidPipelineError(problems);
  return definition;
}

/** Needs, conditions and emitted values, on a definition whose edges are known to form no cycle. */
function flowProblems(definition: PipelineDefinition, edges: { from: string; to: string }[], catalogue: Catalogue): string[] {
  const problems: string[] = [];
  const byId = new Map(definition.nodes.map((node) => [node.id, node]));
  const { trigger } = definition;
  // A trigger on assets gives the original as what its media types all are; a run by hand may be on anything, and is checked as it runs.
  const triggerGives = (value: NodeValue) => trigger.on !== 'asset' || (trigger.filter.mediaType?.every((type) => type === value) ?? false);
  const outputProblem = (place: string, condition: Pick<Condition, 'path'>, before: Set<string>) => {
    const [root, id, output] = condition.path.split('.');
    if (root !== 'nodes') return;
    const node = byId.get(id!);
    if (!node || !before.has(id!)) return problems.push(`${place}: "${id}" is not a node that runs before`);
    const outputs = catalogue.get(node.type)?.outputs ?? [];
    if (!outputs.includes(output!)) problems.push(`${place}: node "${id}" (${node.type}) has no output "${output}" (it has ${outputs.join(', ') || 'none'})`);
  };

  definition.nodes.forEach((node, index) => {
    const type = catalogue.get(node.type);
    if (!type) return;
    const ancestors = ancestorsOf(node.id, edges);
    for (const need of type.needs) {
      const given = [...ancestors].some((id) => catalogue.get(byId.get(id)!.type)?.gives.includes(need));
      if (given || triggerGives(need)) continue;
      problems.push(
        need === 'image'
          ? `nodes[${index}] ("${node.id}"): ${node.type} needs an image: limit trigger.filter.mediaType to ["image"] or put a node that makes one before it`
          : `nodes[${index}] ("${node.id}"): ${node.type} needs a video: limit trigger.filter.mediaType to ["video"]`,
      );
    }
  });
  definition.edges.forEach((edge, index) => {
    if (edge.when) outputProblem(`edges[${index}].when.path`, edge.when, new Set([edge.from, ...ancestorsOf(edge.from, edges)]));
  });
  definition.emits.forEach((path, index) => outputProblem(`emits[${index}]`, { path }, new Set(byId.keys())));
  return problems;
}
