import type { NodeRun, PipelineDefinition, PipelineEdge } from '../api/types';

/** A pipeline node on the canvas: its definition (id, type, parameters, retry, timeout), and in an execution its state. */
export interface StepData extends Record<string, unknown> {
  id: string;
  type: string;
  parameters: Record<string, unknown>;
  /** `retry` and `timeoutMs`, only as the user set them. */
  policy: Record<string, unknown>;
  /** In an execution: the node's run, or that it has not started (pending) and, the execution over, never will (not-run). */
  run?: Pick<NodeRun, 'status' | 'attempts' | 'durationMs' | 'error'> | { status: 'pending' | 'not-run' };
}
/**
 * A node as React Flow takes it (its Node type, written out: this module is
 * imported by tests typed without the DOM, which React Flow's types need).
 */
export interface StepNode {
  id: string;
  type: 'step';
  position: { x: number; y: number };
  data: StepData;
  selected?: boolean;
  /** What assistive technology calls the node: `nodeLabel`. */
  ariaLabel?: string;
  initialWidth?: number;
  initialHeight?: number;
}

/** A node's accessible name: its id and its type, as its card shows them. */
export const nodeLabel = (data: Pick<StepData, 'id' | 'type'>): string => `Node ${data.id} (${data.type})`;

/**
 * A node's size until React Flow has measured it: the step card's width
 * (pipelines.css) and about its height. React Flow does not show a node it
 * has neither measured nor been given a size for, and its measuring waits for
 * the browser's resize observations, which a loaded machine can hold back.
 */
export const STEP_SIZE = { initialWidth: 200, initialHeight: 64 } as const;

/** An edge, as React Flow takes it; it keeps its condition, which the canvas shows as its label and passes through. */
export interface StepEdge {
  id: string;
  source: string;
  target: string;
  data?: { when?: PipelineEdge['when'] };
  label?: string;
}

const COLUMN = 260;
const ROW = 150;

/**
 * Positions for a definition's nodes, left to right: each node one column
 * after its furthest predecessor, and in each column one row per node, in
 * the definition's order. Positions are the canvas's, never the definition's.
 */
export function layered(ids: string[], edges: { from: string; to: string }[]): Map<string, { x: number; y: number }> {
  const column = new Map(ids.map((id) => [id, 0]));
  // Longest path by relaxation: as many rounds as nodes, so a cycle (refused by the check) cannot loop forever.
  for (let round = 0; round < ids.length; round++) {
    for (const { from, to } of edges) {
      if (column.has(from) && column.has(to)) column.set(to, Math.max(column.get(to)!, column.get(from)! + 1));
    }
  }
  const rows = new Map<number, number>();
  return new Map(
    ids.map((id) => {
      const x = column.get(id)!;
      const y = rows.get(x) ?? 0;
      rows.set(x, y + 1);
      return [id, { x: x * COLUMN, y: y * ROW }];
    }),
  );
}

/** A definition as canvas nodes and edges, laid out; the canvas's node ids are the definition's. */
export function graphOf(definition: PipelineDefinition): { nodes: StepNode[]; edges: StepEdge[] } {
  const positions = layered(
    definition.nodes.map((node) => node.id),
    definition.edges,
  );
  const nodes = definition.nodes.map(({ id, type, parameters, retry, timeoutMs }) => ({
    id,
    type: 'step' as const,
    ...STEP_SIZE,
    position: positions.get(id)!,
    ariaLabel: nodeLabel({ id, type }),
    data: { id, type, parameters, policy: { retry, timeoutMs } },
  }));
  const edges = definition.edges.map(({ from, to, when }, index) => ({
    id: `edge-${index}`,
    source: from,
    target: to,
    data: { when },
    label: when ? `when ${when.path}` : undefined,
  }));
  return { nodes, edges };
}

/** What the side form holds beside the graph. */
export interface PipelineHeader {
  name: string;
  version: number | undefined;
  description: string;
  trigger: Record<string, unknown>;
  /** `nodes.ID.OUTPUT` by the canvas node's id and the output. */
  emits: { node: string; output: string }[];
}

const defined = (entries: Record<string, unknown>) => Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined && value !== ''));

/**
 * The definition the canvas shows, as the user wrote it: nodes in the order
 * they were added, only the fields the user set, edges by the nodes' ids.
 */
export function definitionOf(header: PipelineHeader, nodes: StepNode[], edges: StepEdge[]): Record<string, unknown> {
  const idOf = new Map(nodes.map((node) => [node.id, node.data.id]));
  const emits = header.emits.filter(({ node }) => idOf.has(node)).map(({ node, output }) => `nodes.${idOf.get(node)}.${output}`);
  return defined({
    name: header.name.trim(),
    version: header.version,
    description: header.description.trim(),
    trigger: header.trigger,
    nodes: nodes.map(({ data }) => defined({ id: data.id, type: data.type, parameters: data.parameters, ...data.policy })),
    edges: edges.map((edge) => defined({ from: idOf.get(edge.source), to: idOf.get(edge.target), when: edge.data?.when })),
    emits: emits.length ? emits : undefined,
  });
}

/** A problem from the check, `PLACE: sentence`, split; the index of the node it concerns, if any. */
export function placeOf(problem: string): { place: string; message: string; node?: number } {
  const colon = problem.indexOf(': ');
  const place = colon < 0 ? '' : problem.slice(0, colon);
  const node = /^nodes\[(\d+)\]/.exec(place)?.[1];
  return { place, message: colon < 0 ? problem : problem.slice(colon + 2), node: node === undefined ? undefined : Number(node) };
}
