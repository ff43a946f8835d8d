import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { Link, useParams } from 'react-router';
import { addEdge, Background, Controls, ReactFlow, ReactFlowProvider, useEdgesState, useNodesState, useReactFlow, type Connection, type XYPosition } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { api, answer } from '../api/client';
import { useLatestAsking } from '../api/latestAsking';
import { useMay } from '../api/me';
import { busyMarks, useOneAtATime } from '../api/oneAtATime';
import type { PipelineDefinition, PipelineSummary } from '../api/types';
import { SchemaForm, type JsonSchema } from '../components/SchemaForm';
import { MayNot } from '../components/MayNot';
import { ViewHeading } from '../components/ViewHeading';
import { EDGE_OPTIONS, STEP_TYPES, StepProblems } from '../components/StepCard';
import { focusNeighbourWhenGone, matching } from '../focusNeighbour';
import { definitionOf, graphOf, nodeLabel, placeOf, STEP_SIZE, type PipelineHeader, type StepEdge, type StepNode } from '../pipelines/graph';
import './pipelines.css';

/** A node type as GET /pipelines/catalogue lists it. */
interface NodeKind {
  type: string;
  description: string;
  outputs: string[];
  parameters: JsonSchema;
}

/** What the palette puts on the drag: the node type. */
const DRAG_TYPE = 'application/x-medialake-node';
const CHECK_DELAY_MS = 300;
const EMPTY_HEADER: PipelineHeader = { name: '', version: 1, description: '', trigger: { on: 'asset' }, emits: [] };

/** The first of TYPE, TYPE-2, TYPE-3… that no node has as its id. */
function freeId(type: string, nodes: StepNode[]): string {
  const taken = new Set(nodes.map((node) => node.data.id));
  for (let count = 1; ; count++) {
    const id = count === 1 ? type : `${type}-${count}`;
    if (!taken.has(id)) return id;
  }
}

/** The nodes, none selected (the same objects where one was not: React Flow keeps what it measured of them). */
const unselected = (nodes: StepNode[]) => nodes.map((node) => (node.selected ? { ...node, selected: false } : node));

/** Where the focus goes from a Remove button whose edge or node is gone: the next edge's (the last's), else the first of the Connect form. */
const afterEdgeRemoved = matching('.edges li > button, .connect select');
/** From a node's Remove button: the Nodes button now at its place, else the Add buttons. */
const afterNodeRemoved = matching('.node-picks button, .palette button');

/** The catalogue's node types: each dragged onto the canvas, or added by its button. */
function Palette({ kinds, onAdd }: { kinds: NodeKind[]; onAdd(type: string): void }) {
  const start = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(DRAG_TYPE, type);
    event.dataTransfer.effectAllowed = 'move';
  };
  return (
    <aside className="palette" aria-label="Node types">
      <h3>Nodes</h3>
      <p className="field-hint">Drag one onto the canvas, or add it.</p>
      <ul>
        {kinds.map((kind) => (
          <li key={kind.type} draggable onDragStart={(event) => start(event, kind.type)} data-palette={kind.type} title={kind.description}>
            <span className="palette-type">{kind.type}</span>
            <button type="button" onClick={() => onAdd(kind.type)} aria-label={`Add ${kind.type}`}>
              Add
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}

type Condition = NonNullable<NonNullable<StepEdge['data']>['when']>;

/** Edges as a list, each removable and with its condition (from the definition's schema), and a form that connects two nodes without a pointer. */
function EdgeList({
  nodes,
  edges,
  condition,
  problems,
  onConnect,
  onRemove,
  onCondition,
}: {
  nodes: StepNode[];
  edges: StepEdge[];
  condition?: JsonSchema;
  problems: string[];
  onConnect(connection: Connection): void;
  onRemove(id: string): void;
  onCondition(id: string, when: Condition | undefined): void;
}) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const label = (id: string) => nodes.find((node) => node.id === id)?.data.id ?? id;
  const options = nodes.map((node) => (
    <option key={node.id} value={node.id}>
      {node.data.id}
    </option>
  ));
  return (
    <fieldset>
      <legend>Edges</legend>
      <ul className="edges">
        {edges.map((edge, index) => (
          <li key={edge.id}>
            {label(edge.source)} → {label(edge.target)}
            <button type="button" onClick={(event) => (focusNeighbourWhenGone(event.currentTarget, afterEdgeRemoved), onRemove(edge.id))} aria-label={`Remove the edge ${label(edge.source)} to ${label(edge.target)}`}>
              Remove
            </button>
            {condition && (
              <details>
                <summary>{edge.data?.when ? `when ${edge.data.when.path}` : 'always (add a condition)'}</summary>
                <SchemaForm
                  schema={condition}
                  value={edge.data?.when ?? {}}
                  onChange={(when) => onCondition(edge.id, Object.keys(when).length ? (when as Condition) : undefined)}
                  idPrefix={`${edge.id}-when`}
                />
              </details>
            )}
            {problems
              .filter((problem) => problem.startsWith(`edges[${index}]`))
              .map((problem) => (
                <span key={problem} className="field-problem">
                  {problem}
                </span>
              ))}
          </li>
        ))}
      </ul>
      <div className="connect">
        <label>
          from
          <select value={from} onChange={(event) => setFrom(event.target.value)}>
            <option value="">—</option>
            {options}
          </select>
        </label>
        <label>
          to
          <select value={to} onChange={(event) => setTo(event.target.value)}>
            <option value="">—</option>
            {options}
          </select>
        </label>
        <button type="button" disabled={!from || !to || from === to} onClick={() => onConnect({ source: from, target: to, sourceHandle: null, targetHandle: null })}>
          Connect
        </button>
      </div>
    </fieldset>
  );
}

/** The trigger: what starts the pipeline, with the fields of that kind of trigger generated from the definition's schema. */
function TriggerForm({ variants, trigger, onChange, problems }: { variants: JsonSchema[]; trigger: Record<string, unknown>; onChange(trigger: Record<string, unknown>): void; problems: string[] }) {
  const on = String(trigger.on);
  const variant = variants.find((candidate) => candidate.properties?.on?.const === on);
  const { on: _on, ...fields } = variant?.properties ?? {};
  const { on: _value, ...values } = trigger;
  return (
    <fieldset>
      <legend>Trigger</legend>
      <label>
        on
        <select value={on} onChange={(event) => onChange({ on: event.target.value })}>
          {variants.map((candidate) => (
            <option key={String(candidate.properties?.on?.const)}>{String(candidate.properties?.on?.const)}</option>
          ))}
        </select>
      </label>
      {variant && <SchemaForm key={on} schema={{ ...variant, properties: fields }} value={values} onChange={(next) => onChange({ on, ...next })} idPrefix="trigger" />}
      {problems.map((problem) => (
        <p key={problem} className="field-problem">
          {problem}
        </p>
      ))}
    </fieldset>
  );
}

/** The selected node's id, parameters (from its type's schema), tries and time limit. */
function NodeForm({ node, index, kind, policy, problems, onChange, onRemove }: { node: StepNode; index: number; kind?: NodeKind; policy: JsonSchema; problems: string[]; onChange(data: Partial<StepNode['data']>): void; onRemove(): void }) {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const problem of problems) {
    const { place, message } = placeOf(problem);
    const field = /^nodes\[\d+\]\.parameters\.([^.[]+)/.exec(place)?.[1];
    if (field) (byField[field] ??= []).push(message);
    else general.push(problem);
  }
  return (
    <fieldset className="node-form" aria-label={`Node ${node.data.id}`}>
      <legend>
        Node {node.data.id} ({node.data.type})
      </legend>
      <label>
        id
        <input defaultValue={node.data.id} onChange={(event) => onChange({ id: event.target.value.trim() })} />
      </label>
      {kind && <p className="field-hint">{kind.description}</p>}
      {general.map((problem) => (
        <p key={problem} className="field-problem">
          {problem}
        </p>
      ))}
      {kind && <SchemaForm schema={kind.parameters} value={node.data.parameters} onChange={(parameters) => onChange({ parameters })} idPrefix={`${node.id}-parameter`} legend="Parameters" problems={byField} />}
      <SchemaForm schema={policy} value={node.data.policy} onChange={(next) => onChange({ policy: next })} idPrefix={`${node.id}-policy`} legend="Tries and time limit" />
      <button type="button" onClick={(event) => (focusNeighbourWhenGone(event.currentTarget, afterNodeRemoved, index), onRemove())}>
        Remove node {node.data.id}
      </button>
    </fieldset>
  );
}

/** The pipeline's name, version and description. */
function HeaderForm({ header, onChange }: { header: PipelineHeader; onChange(header: Partial<PipelineHeader>): void }) {
  return (
    <fieldset>
      <legend>Pipeline</legend>
      <label>
        name
        <input defaultValue={header.name} onChange={(event) => onChange({ name: event.target.value })} />
      </label>
      <label>
        version
        <input type="number" min={1} step={1} defaultValue={header.version} onChange={(event) => onChange({ version: event.target.value === '' ? undefined : Number(event.target.value) })} />
      </label>
      <label>
        description
        <textarea rows={2} defaultValue={header.description} onChange={(event) => onChange({ description: event.target.value })} />
      </label>
    </fieldset>
  );
}

/** The outputs of the nodes that the completion event carries, for the pipelines triggered by this one. */
function EmitsForm({ nodes, kinds, emits, onChange }: { nodes: StepNode[]; kinds: Map<string, NodeKind>; emits: PipelineHeader['emits']; onChange(emits: PipelineHeader['emits']): void }) {
  const outputs = nodes.flatMap((node) => (kinds.get(node.data.type)?.outputs ?? []).map((output) => ({ node, output })));
  const chosen = (node: string, output: string) => emits.some((emit) => emit.node === node && emit.output === output);
  const toggle = (node: string, output: string, on: boolean) => onChange(on ? [...emits, { node, output }] : emits.filter((emit) => !(emit.node === node && emit.output === output)));
  return (
    <fieldset>
      <legend>Emits on completion</legend>
      {outputs.length === 0 && <p className="field-hint">No node here has outputs.</p>}
      {outputs.map(({ node, output }) => (
        <label key={`${node.id}.${output}`} className="choice">
          <input type="checkbox" checked={chosen(node.id, output)} onChange={(event) => toggle(node.id, output, event.target.checked)} />
          nodes.{node.data.id}.{output}
        </label>
      ))}
    </fieldset>
  );
}

/** The problems the server's check found, by their place; or that there are none, once it has answered. */
function Problems({ problems }: { problems?: string[] }) {
  if (!problems) return <p className="field-hint">Checking…</p>;
  if (!problems.length) return <p className="checked">The check finds no problem.</p>;
  return (
    <section aria-label="Problems" className="problems">
      <h3>{problems.length === 1 ? '1 problem' : `${problems.length} problems`}</h3>
      <ul>
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </section>
  );
}

const checkDefinition = (definition: Record<string, unknown>) => answer<{ problems: string[] }>(api.POST('/pipelines/check', { body: definition })).then((answered) => answered.problems);

/** A deployed pipeline's definition on the canvas, laid out, with the next version to deploy. */
function useOpened(name: string | undefined, open: (header: PipelineHeader, graph: ReturnType<typeof graphOf>) => void) {
  const [error, setError] = useState<string>();
  const ask = useLatestAsking();
  useEffect(() => {
    // A late answer for a pipeline left (back and forward keep the canvas, a new pipeline among them) must not open on it.
    const latest = ask();
    setError(undefined);
    if (!name) return;
    answer<Omit<PipelineSummary, 'definition'> & { definition: PipelineDefinition }>(api.GET('/pipelines/{name}', { params: { path: { name } } }))
      .then(({ definition }) => {
        if (!latest()) return;
        const graph = graphOf(definition);
        const emits = definition.emits.map((path) => path.split('.')).map(([, node, output]) => ({ node: node!, output: output! }));
        open({ name: definition.name, version: definition.version + 1, description: definition.description ?? '', trigger: definition.trigger, emits }, graph);
      })
      .catch((failure: Error) => latest() && setError(failure.message));
  }, [name, ask]);
  return error;
}

function Editor() {
  const { name } = useParams();
  const [kinds, setKinds] = useState<NodeKind[]>([]);
  const [schema, setSchema] = useState<JsonSchema & { properties?: { trigger?: { oneOf?: JsonSchema[] }; nodes?: { items?: JsonSchema }; edges?: { items?: JsonSchema } } }>();
  const [nodes, setNodes, onNodesChange] = useNodesState<StepNode>([]);
  const [edges, setEdges, onEdgesChange] = useEdgesState<StepEdge>([]);
  const [header, setHeader] = useState<PipelineHeader>(EMPTY_HEADER);
  // Forms hold what the user types; a pipeline opened from the server remounts them with its values.
  const [opened, setOpened] = useState(0);
  // Until the check first answers, there is nothing to say.
  const [checked, setChecked] = useState<string[]>();
  const askCheck = useLatestAsking();
  const deploying = useOneAtATime();
  const problems = checked ?? [];
  const [outcome, setOutcome] = useState<{ deployed: boolean; message: string }>();
  const { screenToFlowPosition } = useReactFlow();

  const [loadError, setLoadError] = useState<string>();
  useEffect(() => {
    const failed = (failure: Error) => setLoadError(failure.message);
    answer<{ nodes: NodeKind[] }>(api.GET('/pipelines/catalogue'))
      .then((answered) => setKinds(answered.nodes))
      .catch(failed);
    answer<typeof schema>(api.GET('/pipelines/schema')).then(setSchema).catch(failed);
  }, []);
  const openError = useOpened(name, (openedHeader, graph) => {
    setHeader(openedHeader);
    setNodes(graph.nodes);
    setEdges(graph.edges);
    setOpened((count) => count + 1);
  });

  const kindOf = useMemo(() => new Map(kinds.map((kind) => [kind.type, kind])), [kinds]);
  const definition = useMemo(() => definitionOf(header, nodes, edges), [header, nodes, edges]);
  const text = JSON.stringify(definition);
  useEffect(() => {
    const latest = askCheck();
    const check = () =>
      checkDefinition(JSON.parse(text))
        .catch((failure: Error) => [`the check could not run: ${failure.message}`])
        .then((found) => latest() && setChecked(found));
    const timer = setTimeout(() => void check(), CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, askCheck]);

  const problemsOf = (index: number) => problems.filter((problem) => placeOf(problem).node === index);
  // On its node a problem names the place inside it: `parameters.size: Too small…`.
  const inside = (problem: string) => problem.replace(/^nodes\[\d+\](\.| )?/, '');
  const problemsOnNodes = new Map(nodes.map((node, index) => [node.id, problemsOf(index).map(inside)]));

  const add = (type: string, position?: XYPosition) => {
    const id = `step-${crypto.randomUUID()}`;
    const right = Math.max(-260, ...nodes.map((node) => node.position.x)) + 260;
    setNodes((all) => {
      const data = { id: freeId(type, all), type, parameters: {}, policy: {} };
      return [...unselected(all), { id, type: 'step', ...STEP_SIZE, position: position ?? { x: right, y: 0 }, ariaLabel: nodeLabel(data), data, selected: true }];
    });
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    const type = event.dataTransfer.getData(DRAG_TYPE);
    if (kindOf.has(type)) add(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  };
  const connect = useCallback((connection: Connection) => setEdges((all) => addEdge(connection, all)), [setEdges]);
  const change = (id: string, data: Partial<StepNode['data']>) =>
    setNodes((all) => all.map((node) => (node.id === id ? { ...node, ariaLabel: nodeLabel({ ...node.data, ...data }), data: { ...node.data, ...data } } : node)));
  const remove = (id: string) => {
    setNodes((all) => all.filter((node) => node.id !== id));
    setEdges((all) => all.filter((edge) => edge.source !== id && edge.target !== id));
  };
  // The selection is React Flow's own (a click, Tab and Enter on a node, a drag box): the side form edits the node it selected, and the Nodes buttons select through it.
  const select = (id: string) => setNodes((all) => all.map((node) => ((node.selected ?? false) === (node.id === id) ? node : { ...node, selected: node.id === id })));
  const selected = nodes.find((node) => node.selected)?.id;

  const deploy = async () => {
    setOutcome(undefined);
    try {
      const found = await checkDefinition(definition);
      setChecked(found);
      if (found.length) return setOutcome({ deployed: false, message: `Not deployed: the check found ${found.length === 1 ? 'a problem' : `${found.length} problems`}.` });
      const result = await answer<{ name: string; version: number; deployed: boolean }>(api.POST('/pipelines', { body: definition }));
      setOutcome({ deployed: true, message: result.deployed ? `Deployed ${result.name} version ${result.version}.` : `${result.name} version ${result.version} is deployed already, as it is.` });
    } catch (failure) {
      setOutcome({ deployed: false, message: `Not deployed: ${(failure as Error).message}` });
    }
  };

  const selectedIndex = nodes.findIndex((node) => node.id === selected);
  const selectedNode = nodes[selectedIndex];
  const policy: JsonSchema = { type: 'object', properties: { retry: schema?.properties?.nodes?.items?.properties?.retry ?? {}, timeoutMs: schema?.properties?.nodes?.items?.properties?.timeoutMs ?? {} } };

  return (
    <section className="view pipelines canvas" aria-label="Pipeline canvas">
      <header className="pipelines-head">
        <ViewHeading title={name ? `Edit ${name}` : 'New pipeline'} />
        <Link to="/pipeline">All pipelines</Link>
      </header>
      {(openError ?? loadError) && <p role="alert">{openError ?? loadError}</p>}
      <div className="canvas-body">
        <Palette kinds={kinds} onAdd={(type) => add(type)} />
        <div className="flow canvas-flow" onDrop={drop} onDragOver={(event) => ((event.dataTransfer.dropEffect = 'move'), event.preventDefault())}>
          <StepProblems.Provider value={problemsOnNodes}>
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={STEP_TYPES}
              defaultEdgeOptions={EDGE_OPTIONS}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={connect}
              fitView
              fitViewOptions={{ maxZoom: 1 }}
              proOptions={{ hideAttribution: true }}
            >
              <Background />
              <Controls />
            </ReactFlow>
          </StepProblems.Provider>
        </div>
        <div className="side" key={opened}>
          <HeaderForm header={header} onChange={(next) => setHeader((current) => ({ ...current, ...next }))} />
          {schema?.properties?.trigger?.oneOf && (
            <TriggerForm variants={schema.properties.trigger.oneOf} trigger={header.trigger} onChange={(trigger) => setHeader((current) => ({ ...current, trigger }))} problems={problems.filter((problem) => problem.startsWith('trigger'))} />
          )}
          <fieldset>
            <legend>Nodes</legend>
            {nodes.length === 0 && <p className="field-hint">None yet: drag one from the palette.</p>}
            <div className="node-picks">
              {nodes.map((node, index) => (
                <button type="button" key={node.id} aria-pressed={node.id === selected} className={problemsOf(index).length ? 'has-problems' : undefined} onClick={() => select(node.id)}>
                  {node.data.id}
                </button>
              ))}
            </div>
          </fieldset>
          {selectedNode && (
            <NodeForm key={selectedNode.id} node={selectedNode} index={selectedIndex} kind={kindOf.get(selectedNode.data.type)} policy={policy} problems={problemsOf(selectedIndex)} onChange={(data) => change(selectedNode.id, data)} onRemove={() => remove(selectedNode.id)} />
          )}
          <EdgeList
            nodes={nodes}
            edges={edges}
            condition={schema?.properties?.edges?.items?.properties?.when}
            problems={problems}
            onConnect={connect}
            onRemove={(id) => setEdges((all) => all.filter((edge) => edge.id !== id))}
            onCondition={(id, when) => setEdges((all) => all.map((edge) => (edge.id === id ? { ...edge, data: { ...edge.data, when }, label: when && `when ${when.path}` } : edge)))}
          />
          <EmitsForm nodes={nodes} kinds={kindOf} emits={header.emits} onChange={(emits) => setHeader((current) => ({ ...current, emits }))} />
          <Problems problems={checked} />
          <button type="button" className="deploy" {...busyMarks(deploying.busy)} onClick={() => void deploying.run(deploy)}>
            Deploy
          </button>
          {/* Mounted from the start: a screen reader hears each outcome as it comes. */}
          <p role="status" className={outcome?.deployed ? 'deployed' : 'field-problem'}>
            {outcome && (
              <>
                {outcome.message} {outcome.deployed && <Link to={`/pipeline/${header.name.trim()}`}>Its executions</Link>}
              </>
            )}
          </p>
        </div>
      </div>
    </section>
  );
}

/** The pipeline canvas: a new pipeline at /canvas, a deployed one at /canvas/NAME. */
export function Canvas() {
  const mayNot = useMay('managePipelines') === false;
  if (mayNot) return <MayNot title="Pipeline canvas">Drawing and deploying pipelines is for those who manage them (admins).</MayNot>;
  return (
    <ReactFlowProvider>
      <Editor />
    </ReactFlowProvider>
  );
}
