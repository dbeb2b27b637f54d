#!/usr/bin/env bash
# Runs the tests of the command line, the language server and the npm package on other Node
# versions than this machine's: `bash .ci/other-node-versions.sh 22 24`. The package supports
# every Node from 20 on (`engines`); `npm test` has run everything on this machine's Node.
# Each version is the npm package `node` (its binary comes from the npm registry too, so nothing
# but the registry CI installs from is needed; npx keeps it for the next run). The bundles are
# rebuilt with each version, since the CLI's code cache belongs to one V8, and again with this
# machine's Node at the end. A version equal to this machine's is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
current="$(node -p 'process.versions.node.split(".")[0]')"
status=0
for version in "$@"; do
  if [[ "$version" == "$current" ]]; then
    echo "[node $version] skipped: npm test ran on it"
    continue
  fi
  start=$SECONDS
  if npx --yes --package "node@$version" -- bash -c \
    'echo "[node $(node --version)] test/out/cli, test/out/server, test/out/package" && node .ci/bundle-cli.js && node .ci/test.js --test-reporter=dot test/out/cli test/out/server test/out/package'; then
    echo "[node $version] passed in $((SECONDS - start)) s"
  else
    echo "[node $version] FAILED"
    status=1
  fi
done
node .ci/bundle-cli.js
exit $status
