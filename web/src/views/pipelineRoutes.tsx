import type { RouteObject } from 'react-router';
import { Canvas } from './Canvas';
import { Execution } from './Execution';
import { PipelineExecutions, Pipelines } from './Pipelines';

/**
 * The pipelines views. /pipeline, not /pipelines: that is the API's, and a
 * browser reloading a UI route must get the UI (api/webApp.ts).
 */
export const PIPELINE_ROUTES: RouteObject[] = [
  { path: '/pipeline', element: <Pipelines /> },
  { path: '/pipeline/:name', element: <PipelineExecutions /> },
  { path: '/execution/:id', element: <Execution /> },
  { path: '/canvas', element: <Canvas /> },
  { path: '/canvas/:name', element: <Canvas /> },
];
