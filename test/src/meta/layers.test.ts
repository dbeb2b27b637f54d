/**
 * The layers of server/src are checked by dependency-cruiser in `npm run lint`
 * (`.dependency-cruiser.cjs`). Here its rules run, through the same command, over small throwaway
 * trees laid out like server/src: a clean one passes, and each broken layer (an import cycle, a
 * type-only one included; a Node built-in or vscode in the core; an import from model.ts; a reader
 * or the analysis importing core/incremental) fails with the rule that names it. The real tree
 * must pass too, so that the rule is known to be checked and not merely configured.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repositoryRoot } from '../harness/fixtures';

const command = path.join(repositoryRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const configuration = path.join(repositoryRoot, '.dependency-cruiser.cjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/**
 * Runs the project's rules over server/src under `cwd` as `npm run lint` does, and returns its exit
 * status with the violations (read from a second run that reports them as JSON, whose status
 * says nothing).
 */
function cruise(cwd: string): { status: number | null; violations: string[] } {
  const run = (...options: string[]) =>
    spawnSync(process.execPath, [command, 'server/src', '--config', configuration, ...options], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
  const status = run().status;
  const report = run('--output-type', 'json');
  assert.ok(report.stdout, `dependency-cruiser printed nothing: ${report.stderr}`);
  const output = JSON.parse(report.stdout) as { summary: { violations: Violation[] } };
  const violations = output.summary.violations.map((violation) => `${violation.rule.name} ${violation.from} -> ${violation.to}`);
  return { status, violations: violations.sort() };
}

/** Lays out `files` (path under server/src to content) in a new folder and cruises it. */
function cruiseTree(files: Record<string, string>): { status: number | null; violations: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-layers-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(root, 'server/src', name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    return cruise(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** A small tree that keeps every layer. */
const cleanTree: Record<string, string> = {
  'core/model.ts': 'export interface Site { file: string }\n',
  'core/arm/readArm.ts': "import type { Site } from '../model';\nexport const read = (file: string): Site => ({ file });\n",
  'core/analyze.ts': "import { read } from './arm/readArm';\nexport const analyze = (file: string) => read(file);\n",
  'core/incremental/documentSession.ts':
    "import { analyze } from '../analyze';\nexport class DocumentSession { analyze(file: string) { return analyze(file); } }\n",
  'node/host.ts': "import * as fs from 'node:fs';\nexport const exists = (file: string) => fs.existsSync(file);\n",
  'server/server.ts':
    "import { DocumentSession } from '../core/incremental/documentSession';\nexport const session = new DocumentSession();\n",
};

describe('the layers of server/src (dependency-cruiser)', () => {
  it('pass on the repository', () => {
    assert.deepEqual(cruise(repositoryRoot), { status: 0, violations: [] });
  });

  it('pass on a tree that keeps them', () => {
    assert.deepEqual(cruiseTree(cleanTree), { status: 0, violations: [] });
  });

  it('fail on each layer broken, and on any import cycle, even of types only', () => {
    const broken = cruiseTree({
      ...cleanTree,
      // A cycle of type-only imports in a reader, and a plain one outside the core.
      'core/arm/scope.ts': "import type { Value } from './value';\nexport interface Scope { value?: Value }\n",
      'core/arm/value.ts': "import type { Scope } from './scope';\nexport interface Value { scope?: Scope }\n",
      'node/a.ts': "import { b } from './b';\nexport const a = () => b();\n",
      'node/b.ts': "import { a } from './a';\nexport const b = (): number => (a ? 1 : 0);\n",
      // The core reaching for Node, vscode or an adapter.
      'core/readFile.ts': "import * as fs from 'node:fs';\nexport const read = (file: string) => fs.readFileSync(file);\n",
      'core/where.ts': "import * as path from 'path';\nexport const where = (file: string) => path.dirname(file);\n",
      'core/hover.ts': "import type { Hover } from 'vscode-languageserver';\nexport type Answer = Hover;\n",
      'core/scan.ts': "import { exists } from '../node/host';\nexport const scan = (file: string) => exists(file);\n",
      // The model importing anything.
      'core/model.ts': "import type { Edit } from './edit';\nexport interface Site { file: string; edit?: Edit }\n",
      'core/edit.ts': 'export interface Edit { start: number }\n',
      // A reader and the analysis importing the edit-time reuse.
      'core/incremental/keptSites.ts': 'export class KeptSites {}\n',
      'core/arm/readArm.ts':
        "import type { Site } from '../model';\nimport { KeptSites } from '../incremental/keptSites';\nexport const read = (file: string): Site => ({ file, ...new KeptSites() });\n",
      'core/fixes.ts': "import type { KeptSites } from './incremental/keptSites';\nexport type Fixed = KeptSites;\n",
    });
    assert.notEqual(broken.status, 0);
    // A cycle is reported once, at the import that starts it.
    const core = 'server/src/core';
    assert.deepEqual(broken.violations, [
      `analysis-never-imports-incremental ${core}/arm/readArm.ts -> ${core}/incremental/keptSites.ts`,
      `analysis-never-imports-incremental ${core}/fixes.ts -> ${core}/incremental/keptSites.ts`,
      `core-never-imports-its-adapters ${core}/scan.ts -> server/src/node/host.ts`,
      `core-never-imports-node-builtins ${core}/readFile.ts -> fs`,
      `core-never-imports-node-builtins ${core}/where.ts -> path`,
      `core-never-imports-vscode ${core}/hover.ts -> vscode-languageserver`,
      `core-never-names-node-builtins ${core}/readFile.ts -> fs`,
      `core-never-names-node-builtins ${core}/where.ts -> path`,
      `model-imports-nothing ${core}/model.ts -> ${core}/edit.ts`,
      `no-cycle ${core}/arm/scope.ts -> ${core}/arm/value.ts`,
      `no-cycle server/src/node/a.ts -> server/src/node/b.ts`,
      `readers-never-import-incremental ${core}/arm/readArm.ts -> ${core}/incremental/keptSites.ts`,
    ]);
  });
});
