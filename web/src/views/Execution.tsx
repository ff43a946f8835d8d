import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Background, Controls, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { api, answer } from '../api/client';
import { useLatestAsking } from '../api/latestAsking';
import { TableHead } from '../components/TableHead';
import { ViewHeading } from '../components/ViewHeading';
import type { ExecutionSummary, NodeRun, PipelineDefinition } from '../api/types';
import { EDGE_OPTIONS, STEP_TYPES } from '../components/StepCard';
import { graphOf } from '../pipelines/graph';
import './pipelines.css';

type ExecutionDetail = ExecutionSummary & { nodes: NodeRun[]; definition?: PipelineDefinition };

const POLL_MS = 1000;

/** The pipeline's graph for one execution: each node pending, running, succeeded, failed or skipped, with its tries, time and failure. */
export function Execution() {
  const { id = '' } = useParams();
  const [loaded, setExecution] = useState<ExecutionDetail>();
  // Until the next execution has loaded, the one shown before must not stand in for it.
  const execution = loaded?.executionId === id ? loaded : undefined;
  const [error, setError] = useState<string>();
  const running = execution?.status === 'running';
  // Back and forward between executions keep this view: a late answer for the one left must not replace the one shown.
  const ask = useLatestAsking();
  const load = useCallback(
    () => {
      const latest = ask();
      return answer<ExecutionDetail>(api.GET('/pipelines/executions/{executionId}', { params: { path: { executionId: id } } })).then(
        (answered) => latest() && (setError(undefined), setExecution(answered)),
        (failure: Error) => latest() && setError(failure.message),
      );
    },
    [id, ask],
  );
  useEffect(() => void load(), [load]);
  // A running execution is followed until it ends.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [running, load]);

  const graph = useMemo(() => {
    if (!execution?.definition) return undefined;
    const { nodes, edges } = graphOf(execution.definition);
    const runs = new Map(execution.nodes.map((run) => [run.node, run]));
    return { nodes: nodes.map((node) => ({ ...node, data: { ...node.data, run: runs.get(node.id) ?? { status: execution.status === 'running' ? ('pending' as const) : ('not-run' as const) } } })), edges };
  }, [execution]);

  if (error) return <p role="alert">{error}</p>;
  if (!execution) return <p className="placeholder">Loading the execution…</p>;
  return (
    <section className="view pipelines execution" aria-label="Execution">
      <header className="pipelines-head">
        <ViewHeading title={`Execution of ${execution.pipeline} v${execution.version}: ${execution.status}`}>
          <Link to={`/pipeline/${execution.pipeline}`}>{execution.pipeline}</Link> v{execution.version}: <span data-testid="execution-status">{execution.status}</span>
        </ViewHeading>
        <p>
          on <Link to={`/asset/${execution.assetId}`}>{execution.assetId.slice(0, 8)}</Link>, by {execution.trigger.kind}, started {execution.startedAt}
          {execution.durationMs !== undefined && `, ${execution.durationMs} ms`}
        </p>
      </header>
      {execution.error && (
        <p role="alert">
          {execution.failedNode}: {execution.error.message}
        </p>
      )}
      {graph && (
        <div className="flow execution-flow">
          <ReactFlow nodes={graph.nodes} edges={graph.edges} nodeTypes={STEP_TYPES} defaultEdgeOptions={EDGE_OPTIONS} nodesDraggable={false} nodesConnectable={false} elementsSelectable={false} fitView fitViewOptions={{ maxZoom: 1 }} proOptions={{ hideAttribution: true }}>
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
      )}
      <table data-testid="node-runs">
        <caption className="visually-hidden">Each node in this execution</caption>
        <TableHead columns={['Node', 'Type', 'State', 'Tries', 'Duration', 'Failure']} />
        <tbody>
          {graph?.nodes.map(({ data }) => (
            <tr key={data.id} data-node={data.id}>
              <td>{data.id}</td>
              <td>{data.type}</td>
              <td>{data.run?.status.replace('-', ' ')}</td>
              <td>{data.run && 'attempts' in data.run ? data.run.attempts : '—'}</td>
              <td>{data.run && 'durationMs' in data.run && data.run.durationMs !== undefined ? `${data.run.durationMs} ms` : '—'}</td>
              <td>{data.run && 'error' in data.run ? data.run.error?.message : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
