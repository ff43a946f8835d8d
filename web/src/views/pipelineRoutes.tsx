import type { RouteObject } from 'react-router';

/** The pipelines views and React Flow come in a chunk of their own, fetched when one of these routes is first opened. */
const views = () => import('./pipelineViews');

/**
 * The pipelines views. /pipeline, not /pipelines: that is the API's, and a
 * browser reloading a UI route must get the UI (api/webApp.ts).
 */
export const PIPELINE_ROUTES: RouteObject[] = [
  { path: '/pipeline', lazy: async () => ({ Component: (await views()).Pipelines }) },
  { path: '/pipeline/:name', lazy: async () => ({ Component: (await views()).PipelineExecutions }) },
  { path: '/execution/:id', lazy: async () => ({ Component: (await views()).Execution }) },
  { path: '/canvas', lazy: async () => ({ Component: (await views()).Canvas }) },
  { path: '/canvas/:name', lazy: async () => ({ Component: (await views()).Canvas }) },
];
