/**
 * The layering of medialake (ARCHITECTURE.md, Layout), checked by
 * test/layering.test.ts; by hand: npx depcruise --config .dependency-cruiser.cjs .
 * Type-only imports count (tsPreCompilationDeps): a cycle of types still ties
 * modules together, so that neither can be read, tested or moved alone.
 */
const PROJECT = '^(schemas|log|storage|producers|processors|projections|api|cli|app|infra|scripts|bench|test)/';
const DATA_PATH = '^(schemas|log|storage|producers|processors|projections)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Modules that import each other, directly or round a loop, can only be understood and changed together: ' +
        'move what both need into a module of its own, or hand one a narrow interface instead of the other module.',
      from: { path: PROJECT },
      to: { circular: true },
    },
    {
      name: 'data-path-imports-no-app',
      severity: 'error',
      comment:
        'app/ is the composition root: it wires the data path from configuration, so the data path must not depend on it. ' +
        'An entry point that needs the configuration (a Lambda handler, a poller started by serve) lives in app/.',
      from: { path: DATA_PATH },
      to: { path: '^app/' },
    },
  ],
  options: {
    includeOnly: PROJECT,
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
