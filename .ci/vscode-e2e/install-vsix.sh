#!/usr/bin/env bash
# Installs the .vsix that `npm run package` made as VS Code installs an extension (code-server's
# `--install-extension`, which needs no network for a local file) and moves the installed folder to
# out/vsix-installed/extension, where `npm run test:e2e:package` runs the integration tests: they
# then test exactly what the .vsix holds, unpacked and checked by VS Code's own installer. Run
# setup.sh first. Like run-tests.js, it keeps code-server's configuration and data out of $HOME.
set -euo pipefail
cd "$(dirname "$0")/../.."

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE_ROOT="${VSCODE_E2E_CACHE:-$HOME/.cache/vscode-e2e}"
CODE_SERVER_BIN="${CODE_SERVER_BIN:-$CACHE_ROOT/code-server-$CODE_SERVER_VERSION/node_modules/.bin/code-server}"

vsix="$(node -p "const m = require('./package.json'); m.name + '-' + m.version + '.vsix'")"
folder="$(node -p "const m = require('./package.json'); m.publisher + '.' + m.name + '-' + m.version")"
target="out/vsix-installed"
[[ -f "$vsix" ]] || { echo "install-vsix: $vsix not found: run npm run package first" >&2; exit 1; }

rm -rf "$target"
mkdir -p "$target/home/config"
printf 'auth: none\n' > "$target/home/config.yaml"
if ! XDG_CONFIG_HOME="$PWD/$target/home/config" XDG_DATA_HOME="$PWD/$target/home/data" \
  "$CODE_SERVER_BIN" --config "$target/home/config.yaml" --user-data-dir "$target/home/user-data" \
  --extensions-dir "$target/extensions" --install-extension "$vsix" > "$target/install.log" 2>&1; then
  cat "$target/install.log" >&2
  exit 1
fi
[[ -f "$target/extensions/$folder/package.json" ]] || { cat "$target/install.log" >&2; echo "install-vsix: $folder was not installed" >&2; exit 1; }
mv "$target/extensions/$folder" "$target/extension"
rm -rf "$target/extensions" "$target/home"
echo "[install-vsix] $vsix installed into $target/extension"
