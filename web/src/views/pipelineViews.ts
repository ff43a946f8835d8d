/** The pipelines views, as one lazily loaded chunk (pipelineRoutes.tsx). */
export { Canvas } from './Canvas';
export { Execution } from './Execution';
export { PipelineExecutions, Pipelines } from './Pipelines';
