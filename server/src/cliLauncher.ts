#!/usr/bin/env node
/**
 * The `azure-image-lint` command as installed. `npm run build` bundles the CLI into
 * `server/dist/cli.bundle.js` and puts this launcher next to it as `server/dist/cli.js`, the
 * package's `bin`. The launcher compiles the bundle with the V8 code cache the build wrote after a
 * run on the examples, so a run on a few files skips compiling the code it needs (about half of
 * what the CLI adds to Node's own start). The cache only ever saves time, never changes what the
 * command does: without a cache for this V8 version the bundle is loaded as an ordinary module
 * (with Node's own compile cache where Node has one, in the system's temporary folder), a cache V8
 * rejects (other V8 flags, a damaged file) is ignored by V8, and the launcher itself never writes,
 * so a read-only installation is fine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type * as Cli from './cli';

/** The bundled CLI, next to this launcher. */
export const bundleFile = path.join(__dirname, 'cli.bundle.js');

/**
 * The code cache for this V8 version. V8 accepts a cache only from its own version, so the
 * version is in the name: another Node finds no file rather than a file it must reject.
 */
export const codeCacheFile = path.join(__dirname, `cli.bundle.v8-${process.versions.v8}.cache`);

/**
 * Compiles the bundle as Node compiles a CommonJS module, in a function of the module's
 * variables. The build makes its cache from this same text, which V8 requires.
 */
export function compileBundle(cachedData?: Buffer): vm.Script {
  const source = fs.readFileSync(bundleFile, 'utf8');
  // The header is on the bundle's first line, so the bundle's line numbers stay its own.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  return new vm.Script(wrapped, { filename: bundleFile, cachedData });
}

/** Runs the compiled bundle's top level and returns its exports. */
export function runBundle(script: vm.Script): typeof Cli {
  const bundleModule = { exports: {} as typeof Cli };
  const moduleFunction = script.runInThisContext() as (...variables: unknown[]) => void;
  // The bundle needs `require` only for Node's built-in modules, which resolve the same here.
  moduleFunction.call(bundleModule.exports, bundleModule.exports, require, bundleModule, bundleFile, __dirname);
  return bundleModule.exports;
}

/** The bundled CLI's exports, loaded with the code cache when there is one for this V8. */
export function loadBundledCli(): typeof Cli {
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(codeCacheFile);
  } catch {
    // No cache for this V8 version: load the bundle as any module. Node 22.1 and later keep
    // their own cache of compiled modules when asked (absent before, hence the optional call).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('node:module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(bundleFile) as typeof Cli;
  }
  return runBundle(compileBundle(cachedData));
}

if (require.main === module) loadBundledCli().runCommandLine();
