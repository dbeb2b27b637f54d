/*
 * The layers of server/src, checked by dependency-cruiser in `npm run lint`
 * (`depcruise server/src --config .dependency-cruiser.cjs`), type-only imports included: an
 * import cycle is a cycle whether or not it survives compilation, since it ties the files' meaning
 * together all the same. ARCHITECTURE.md ("Layers") says why each rule is there;
 * test/src/architecture/layers.test.ts shows on a throwaway tree that each rule fails when broken.
 */
'use strict';

/** The Node built-ins the pure core must not import (it speaks to the world through a FileHost). */
const nodeBuiltins = '^(node:)?(fs|path|process|child_process|os|net|http|https|worker_threads|v8|vm|crypto)(/|$)';

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'No import cycle in server/src, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-never-imports-vscode',
      severity: 'error',
      comment: 'server/src/core runs outside an editor too: no vscode, no vscode-languageserver*.',
      from: { path: '^server/src/core/' },
      to: { path: '^(node_modules/)?(@types/)?vscode' },
    },
    {
      name: 'core-never-imports-node-builtins',
      severity: 'error',
      comment: 'server/src/core is pure: no file system, process, threads or network.',
      from: { path: '^server/src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-never-names-node-builtins',
      severity: 'error',
      comment: 'The same, for a built-in named without the node: prefix that resolution might miss.',
      from: { path: '^server/src/core/' },
      to: { path: nodeBuiltins },
    },
    {
      name: 'core-never-imports-its-adapters',
      severity: 'error',
      comment: 'The CLI, the server and the Node adapters wrap the core, never the other way round.',
      from: { path: '^server/src/core/' },
      to: { path: '^server/src/(?!core/)' },
    },
    {
      name: 'model-imports-nothing',
      severity: 'error',
      comment: 'core/model.ts is the neutral model every layer shares: it depends on nothing.',
      from: { path: '^server/src/core/model\\.ts$' },
      to: {},
    },
    {
      name: 'readers-never-import-incremental',
      severity: 'error',
      comment: 'The readers compute from scratch; the edit-time reuse (core/incremental) sits above them.',
      from: { path: '^server/src/core/(arm|bicep)/' },
      to: { path: '^server/src/core/incremental/' },
    },
    {
      name: 'analysis-never-imports-incremental',
      severity: 'error',
      comment: 'core/incremental sits above analyze.ts: below it, nothing knows of a session.',
      from: { path: '^server/src/core/', pathNot: '^server/src/core/incremental/' },
      to: { path: '^server/src/core/incremental/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are edges too (`import type`, `import { type X }`).
    tsPreCompilationDeps: true,
    exclude: { path: '\\.json$' },
  },
};
