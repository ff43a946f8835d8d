import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, answer } from '../api/client';
import { useLatestAsking } from '../api/latestAsking';
import { useMay } from '../api/me';
import { TableHead } from '../components/TableHead';
import { ViewHeading } from '../components/ViewHeading';
import type { ExecutionSummary, PipelineSummary } from '../api/types';
import './pipelines.css';

/**
 * Enables or disables a pipeline; the list shows what was asked at once (the
 * projection folds it a moment later). A default pipeline's change counts
 * from the next start of the processes that run processors: it says so.
 */
function EnableButton({ pipeline, onChanged }: { pipeline: PipelineSummary; onChanged(enabled: boolean): void }) {
  const [error, setError] = useState<string>();
  const [later, setLater] = useState(false);
  const action = pipeline.enabled ? 'disable' : 'enable';
  const toggle = () => {
    const call = action === 'enable' ? api.POST('/pipelines/{name}/enable', { params: { path: { name: pipeline.name } } }) : api.POST('/pipelines/{name}/disable', { params: { path: { name: pipeline.name } } });
    answer<{ takesEffect: 'now' | 'next-start' }>(call)
      .then((changed) => (setError(undefined), setLater(changed.takesEffect === 'next-start'), onChanged(!pipeline.enabled)))
      .catch((failure: Error) => setError(failure.message));
  };
  return (
    <>
      <button type="button" onClick={toggle} aria-label={`${action} ${pipeline.name}`}>
        {action === 'enable' ? 'Enable' : 'Disable'}
      </button>
      {later && <span role="status">a default pipeline: counts from the next start of the processes that run processors</span>}
      {error && <span role="alert">{error}</span>}
    </>
  );
}

/** The deployed pipelines: version, enabled, their executions by status; enable, disable, open on the canvas. */
export function Pipelines() {
  const [pipelines, setPipelines] = useState<PipelineSummary[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    answer<{ pipelines: PipelineSummary[] }>(api.GET('/pipelines'))
      .then((answered) => setPipelines(answered.pipelines))
      .catch((failure: Error) => setError(failure.message));
  }, []);
  const changed = (name: string, enabled: boolean) => setPipelines((all) => all?.map((pipeline) => (pipeline.name === name ? { ...pipeline, enabled } : pipeline)));
  // Drawing, deploying, enabling and disabling are offered to those who may manage pipelines alone.
  const manage = useMay('managePipelines');
  return (
    <section className="view pipelines" aria-label="Pipelines">
      <header className="pipelines-head">
        <ViewHeading title="Pipelines" />
        {manage && (
          <Link className="button" to="/canvas">
            New pipeline
          </Link>
        )}
      </header>
      {error && <p role="alert">{error}</p>}
      {pipelines?.length === 0 && <p className="empty">No pipeline is deployed: draw one on the canvas, or apply a definition with medialake pipelines apply.</p>}
      {pipelines && pipelines.length > 0 && (
        <table data-testid="pipelines">
          <TableHead columns={['Pipeline', 'Version', 'Enabled', 'Running', 'Completed', 'Failed', ...(manage ? ['Actions'] : [])]} />
          <tbody>
            {pipelines.map((pipeline) => (
              <tr key={pipeline.name} data-pipeline={pipeline.name}>
                <td>
                  <Link to={`/pipeline/${pipeline.name}`}>{pipeline.name}</Link>
                </td>
                <td>{pipeline.version}</td>
                <td>{pipeline.enabled ? 'yes' : 'no'}</td>
                <td>{pipeline.executions?.running ?? '—'}</td>
                <td>{pipeline.executions?.completed ?? '—'}</td>
                <td className={pipeline.executions?.failed ? 'attention' : undefined}>{pipeline.executions?.failed ?? '—'}</td>
                {manage && (
                  <td className="actions">
                    <EnableButton pipeline={pipeline} onChanged={(enabled) => changed(pipeline.name, enabled)} />
                    <Link to={`/canvas/${pipeline.name}`}>Edit on canvas</Link>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One pipeline's executions, newest first, each linking to its execution view. */
export function PipelineExecutions() {
  const { name = '' } = useParams();
  const [loaded, setLoaded] = useState<{ name: string; executions: ExecutionSummary[] }>();
  // Until the next pipeline's executions have loaded, the ones shown before must not stand in for them.
  const executions = loaded?.name === name ? loaded.executions : undefined;
  const [error, setError] = useState<string>();
  const ask = useLatestAsking();
  const load = useCallback(() => {
    const latest = ask();
    answer<{ executions: ExecutionSummary[] }>(api.GET('/pipelines/{name}/executions', { params: { path: { name }, query: { limit: 100 } } })).then(
      (answered) => latest() && (setError(undefined), setLoaded({ name, executions: answered.executions })),
      (failure: Error) => latest() && setError(failure.message),
    );
  }, [name, ask]);
  useEffect(load, [load]);
  const manage = useMay('managePipelines');
  return (
    <section className="view pipelines" aria-label={`Executions of ${name}`}>
      <header className="pipelines-head">
        <ViewHeading title={`${name}: executions`} />
        <button type="button" onClick={load}>
          Refresh
        </button>
        {manage && <Link to={`/canvas/${name}`}>Edit on canvas</Link>}
      </header>
      {error && <p role="alert">{error}</p>}
      {executions?.length === 0 && <p className="empty">No execution yet.</p>}
      {executions && executions.length > 0 && (
        <table data-testid="executions">
          <TableHead columns={['Started', 'Status', 'Version', 'Asset', 'Trigger', 'Duration']} />
          <tbody>
            {executions.map((execution) => (
              <tr key={execution.executionId} className={execution.status === 'failed' ? 'attention' : undefined}>
                <td>
                  <Link to={`/execution/${execution.executionId}`}>{execution.startedAt}</Link>
                </td>
                <td>
                  {execution.status}
                  {execution.failedNode && ` at ${execution.failedNode}`}
                </td>
                <td>{execution.version}</td>
                <td>
                  <Link to={`/asset/${execution.assetId}`}>{execution.assetId.slice(0, 8)}</Link>
                </td>
                <td>{execution.trigger.kind}</td>
                <td>{execution.durationMs === undefined ? '—' : `${execution.durationMs} ms`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
