#!/usr/bin/env bash
# Prepares this machine to run the extension's integration tests in a real VS Code without
# reaching Microsoft's download servers: Debian Chromium drives code-server (VS Code's workbench
# and Node extension host, installed from the npm registry). Idempotent: every step is skipped
# when its result is already present, so a warm machine passes through in about a second.
# Its three install workarounds (Kerberos headers, a pre-seeded ripgrep cache, a non-prompting npx)
# are explained at the steps below.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE_ROOT="${VSCODE_E2E_CACHE:-$HOME/.cache/vscode-e2e}"
INSTALL_DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_BIN="$INSTALL_DIR/node_modules/.bin/code-server"

log() { printf '[setup +%ss] %s\n' "$SECONDS" "$*"; }

# --- apt: the browser, Kerberos headers for code-server's native `kerberos` module, and ripgrep
# (whose binary seeds @vscode/ripgrep's download cache, because GitHub is unreachable here).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Install straight away when the package lists are fresh enough; refresh them only on failure.
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# --- code-server from npm, outside the repository, reused across runs.
if [[ -x "$CODE_SERVER_BIN" && -f "$INSTALL_DIR/.complete" ]]; then
  log "code-server $CODE_SERVER_VERSION already installed in $INSTALL_DIR"
else
  log "installing code-server $CODE_SERVER_VERSION into $INSTALL_DIR"
  rm -rf "$INSTALL_DIR"
  mkdir -p "$INSTALL_DIR"
  # code-server bundles a specific @vscode/ripgrep; its postinstall downloads rg from GitHub unless a
  # cached tarball is present in $TMPDIR/vscode-ripgrep-cache-<version>/. Seed it with Debian's rg.
  # Known pairs of @vscode/ripgrep version and ripgrep release tag (code-server 4.100.x and 4.117.x).
  tmp_root="${TMPDIR:-/tmp}"
  for spec in "1.15.11 v13.0.0-10" "1.17.1 v15.0.1"; do
    set -- $spec
    mkdir -p "$tmp_root/vscode-ripgrep-cache-$1"
    tar czf "$tmp_root/vscode-ripgrep-cache-$1/ripgrep-$2-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  done
  (
    cd "$INSTALL_DIR"
    printf '{ "name": "vscode-e2e-code-server", "private": true }\n' > package.json
    # npx (used by node-pty's postinstall to fetch node-gyp) must not prompt; ~/.npmrc says yes=false.
    export npm_config_yes=true
    # Build native modules against this Node's headers without downloading them.
    export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"
    npm install --no-save --no-audit --no-fund --unsafe-perm --foreground-scripts \
      "code-server@$CODE_SERVER_VERSION" > install.log 2>&1 || { tail -40 install.log; exit 1; }
  )
  touch "$INSTALL_DIR/.complete"
  log "code-server installed"
fi

printf "[setup] code-server %s\n" "$(node -p "require(\"$INSTALL_DIR/node_modules/code-server/package.json\").version")"
log "ready: export CODE_SERVER_BIN=$CODE_SERVER_BIN"
