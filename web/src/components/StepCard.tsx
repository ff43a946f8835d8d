import { createContext, useContext } from 'react';
import { Handle, MarkerType, Position, type Node, type NodeProps } from '@xyflow/react';
import type { StepData } from '../pipelines/graph';

/** A node's state in one execution: its status, tries, time, and why it failed. */
function RunState({ run }: { run: NonNullable<StepData['run']> }) {
  if (!('attempts' in run)) return <p className={`run-state state-${run.status}`}>{run.status.replace('-', ' ')}</p>;
  return (
    <div className={`run-state state-${run.status}`}>
      <p>
        <span className="state-name">{run.status}</span> · try {run.attempts}
        {run.durationMs !== undefined && ` · ${run.durationMs} ms`}
      </p>
      {run.error && <p className="run-error">{run.error.message}</p>}
    </div>
  );
}

/**
 * The check's problems by canvas node id. A context, not node data: the nodes
 * React Flow holds stay the same objects when only the problems change, so it
 * keeps their measured sizes (a node it has not measured, it does not show).
 */
export const StepProblems = createContext<ReadonlyMap<string, string[]>>(new Map());

/** A pipeline node on a canvas: its id and type, handles to connect it, and its problems or its state in a run. */
export function StepCard({ id, data, selected }: NodeProps<Node<StepData, 'step'>>) {
  const problems = useContext(StepProblems).get(id) ?? [];
  return (
    <div className={`step${problems.length ? ' has-problems' : ''}${selected ? ' selected' : ''}`} data-step={data.id} data-state={data.run?.status}>
      <Handle type="target" position={Position.Left} />
      <strong className="step-id">{data.id}</strong>
      <span className="step-type">{data.type}</span>
      {data.run && <RunState run={data.run} />}
      {problems.length > 0 && (
        <ul className="step-problems" role="alert">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

/** The node types the canvases draw; one object for the app's life, as React Flow asks. */
export const STEP_TYPES = { step: StepCard };

/** Edges point the way the image flows. */
export const EDGE_OPTIONS = { markerEnd: { type: MarkerType.ArrowClosed } };
