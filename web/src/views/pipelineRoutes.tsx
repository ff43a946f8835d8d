import type { RouteObject } from 'react-router';

/** The pipelines views and React Flow come in a chunk of their own, fetched when one of these routes is first opened. */
const views = () => import('./pipelineViews');
/** Shown while the chunk loads on a page opened at one of these routes. */
const loading = <p className="placeholder">Loading…</p>;

/**
 * The pipelines views. /pipeline, not /pipelines: that is the API's, and a
 * browser reloading a UI route must get the UI (api/webApp.ts).
 */
export const PIPELINE_ROUTES: RouteObject[] = [
  { path: '/pipeline', hydrateFallbackElement: loading, lazy: async () => ({ Component: (await views()).Pipelines }) },
  { path: '/pipeline/:name', hydrateFallbackElement: loading, lazy: async () => ({ Component: (await views()).PipelineExecutions }) },
  { path: '/execution/:id', hydrateFallbackElement: loading, lazy: async () => ({ Component: (await views()).Execution }) },
  { path: '/canvas', hydrateFallbackElement: loading, lazy: async () => ({ Component: (await views()).Canvas }) },
  { path: '/canvas/:name', hydrateFallbackElement: loading, lazy: async () => ({ Component: (await views()).Canvas }) },
];
