#!/usr/bin/env node
/*
 * Builds the commands users run (`server/dist/`, the npm package's two `bin`s), as the last step
 * of `npm run build` after the TypeScript compile:
 *
 *   cli.js                      the launcher (server/out/cliLauncher.js): `azure-image-lint`
 *   cli.bundle.js               the CLI (server/out/cli.js) and everything it imports, in one file
 *   cli.bundle.v8-<V8>.cache    V8's code cache for the bundle, made after a run on the examples
 *   node/scanWorker.js          the scan thread, where the CLI looks for it (`__dirname/node/`)
 *   server.js                   the language server (server/out/server.js), bundled:
 *                               `azure-image-lint-server --stdio`
 *   server/analysisWorker.js    its analysis thread, where it looks for it (`__dirname/server/`)
 *   THIRD_PARTY_NOTICES.md      the licences of the npm packages inside these bundles
 *
 * The npm package ships this folder and nothing else that runs (`files` in package.json), so an
 * install needs no dependency and runs no compiler.
 *
 * One file loads faster than fifty modules, and the code cache spares most of the compiling that
 * is left. The catalog and other JSON files become a string for JSON.parse, which V8 reads faster
 * than the same data written as an object literal (it shows when there is no cache). V8 matches a
 * cache to its source by the source's length only, so the folder is removed first: a bundle never
 * meets an older cache. `node .ci/bundle-cli.js --clean` only removes it. BENCHMARKS.md has the
 * figures.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');
const { thirdPartyNotices } = require('./third-party-notices');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'server', 'dist');

/** JSON modules as `JSON.parse('...')`: for data this size V8 parses JSON faster than JavaScript. */
const jsonAsString = {
  name: 'json-as-string',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, (args) => {
      const compact = JSON.stringify(JSON.parse(fs.readFileSync(args.path, 'utf8')));
      return { contents: `module.exports = JSON.parse(${JSON.stringify(compact)});`, loader: 'js' };
    });
  },
};

function bundle(entry, outfile, banner) {
  return esbuild.build({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(dist, outfile),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Prefer ES module builds: jsonc-parser's UMD `main` loads its parts with a dynamic require
    // that a bundle cannot resolve ("Cannot find module './impl/format'").
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [jsonAsString],
    metafile: true,
    ...(banner ? { banner: { js: banner } } : {}),
  });
}

/**
 * Runs the bundled CLI in this process on the examples, as the launcher loads it, and writes V8's
 * code cache of the bundle: it then holds the functions such a run compiles, not only the top
 * level. The runs print nothing.
 */
async function writeCodeCache() {
  const launcher = require(path.join(dist, 'cli.js'));
  const script = launcher.compileBundle();
  const cli = launcher.runBundle(script);
  const examples = path.join(root, 'examples');
  const ignore = () => {};
  for (const format of ['text', 'json']) {
    await cli.main(['--as-of', '2026-01-01', '--format', format, examples], ignore, ignore);
  }
  fs.writeFileSync(launcher.codeCacheFile, script.createCachedData());
}

async function main() {
  fs.rmSync(dist, { recursive: true, force: true });
  if (process.argv.includes('--clean')) return;
  const results = await Promise.all([
    bundle('server/out/cli.js', 'cli.bundle.js'),
    bundle('server/out/node/scanWorker.js', 'node/scanWorker.js'),
    bundle('server/out/cliLauncher.js', 'cli.js'),
    bundle('server/out/server.js', 'server.js', '#!/usr/bin/env node'),
    bundle('server/out/server/analysisWorker.js', 'server/analysisWorker.js'),
  ]);
  const notices = thirdPartyNotices(
    root,
    'The azure-image-lint package (its commands `azure-image-lint` and `azure-image-lint-server`)',
    results.map((result) => result.metafile),
  );
  fs.writeFileSync(path.join(dist, 'THIRD_PARTY_NOTICES.md'), notices.text);
  // The launcher wraps the bundle in a function, where a `#!` line is a syntax error.
  const bundleFile = path.join(dist, 'cli.bundle.js');
  fs.writeFileSync(bundleFile, fs.readFileSync(bundleFile, 'utf8').replace(/^#!.*\n/, ''));
  fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
  fs.chmodSync(path.join(dist, 'server.js'), 0o755);
  // The command was server/out/cli.js before: a link npx made to it then (npx keeps its links per
  // checkout) must still run, more slowly, rather than fail with "Permission denied".
  fs.chmodSync(path.join(root, 'server', 'out', 'cli.js'), 0o755);
  await writeCodeCache();
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exitCode = 1;
});
