#!/usr/bin/env bash
# Runs the README's demo command literally (`npm start`, with the editor) the way a new user
# does, bounded for CI: waits for the URLs it prints, checks that the editor URL answers and
# that the collector holds the example shop's telemetry (spans, logs, metric points, an error
# group), that the shop was redeployed at the AI commit and the collector measured that AI
# diff before and after (>= 20 calls a side), then presses Ctrl-C (SIGINT to the demo's process group) and checks that everything
# it started has stopped. Exit 0 only when all of that holds.
#   usage: bash scripts/check-demo.sh [extra npm start options]   (e.g. --no-editor)
set -uo pipefail
cd "$(dirname "$0")/.."

TIMEOUT_SEC=${DEMO_CHECK_TIMEOUT_SEC:-900}
work=$(mktemp -d)
out=$work/demo.log
cli_err=$work/cli.err
log() { printf '[check-demo] %s\n' "$*"; }
http_code() { node -e 'fetch(process.argv[1]).then((r) => console.log(r.status), () => console.log(0))' "$1"; }

# Its own session and process group, as a terminal's foreground job (Ctrl-C reaches all of it).
setsid npm start -- --minutes 2 "$@" >"$out" 2>&1 </dev/null &
demo_pid=$!
log "npm start (pid $demo_pid), output in $out"

fail() {
  log "FAILED: $*"
  log "--- last lines of the demo's output ---"
  tail -n 40 "$out" | sed 's/^/  /'
  kill -INT -- "-$demo_pid" 2>/dev/null
  sleep 5
  kill -TERM -- "-$demo_pid" 2>/dev/null
  exit 1
}

deadline=$((SECONDS + TIMEOUT_SEC))
# The demo prints "Ctrl-C stops everything above." once everything runs.
until grep -q 'Ctrl-C stops everything above' "$out"; do
  kill -0 "$demo_pid" 2>/dev/null || fail "npm start exited before the demo was up"
  [ $SECONDS -lt $deadline ] || fail "the demo was not up within ${TIMEOUT_SEC}s"
  sleep 2
done
collector=$(grep -oE 'collector +http://127\.0\.0\.1:[0-9]+' "$out" | head -1 | grep -oE 'http://[^ ]+')
port=${collector##*:}
[ -n "$port" ] || fail "the demo printed no collector URL"
# Client verbs authenticate with the secret in the collector's storage folder.
storage=$(grep -oE '^\[demo\] collector +http://[^ ]+ \(storage [^)]+\)' "$out" | head -1 | sed -E 's/.*\(storage ([^)]+)\)$/\1/')
[ -n "$storage" ] || fail "the demo printed no collector storage folder"
log "collector at $collector (storage $storage)"

if ! printf '%s\n' "$@" | grep -qx -- '--no-editor'; then
  url=$(grep -oE 'open +http://[^ ]+' "$out" | head -1 | sed 's/^open *//')
  [ -n "$url" ] || fail "the demo printed no editor URL"
  code=$(http_code "$url")
  [ "$code" = 200 ] || fail "the editor URL $url answered $code"
  log "editor URL answers 200: $url"
fi
code=$(http_code "$collector/status")
[ "$code" = 200 ] || fail "the status page answered $code"

# The shop sends spans at once, logs and metrics within a few seconds, its first error soon after.
ok=""
deadline=$((SECONDS + 240))
until [ $SECONDS -ge $deadline ]; do
  stats=$(node dist/cli.js stats --json --port "$port" --storage "$storage" 2>"$cli_err")
  errors=$(node dist/cli.js errors --json --port "$port" --storage "$storage" 2>>"$cli_err")
  if node -e '
    const s = JSON.parse(process.argv[1] || "{}"), e = JSON.parse(process.argv[2] || "[]");
    const r = s.received || {};
    process.exit(r.spans > 0 && r.logs > 0 && r.metrics > 0 && e.length > 0 ? 0 : 1);
  ' "$stats" "$errors" 2>/dev/null; then
    ok=1
    break
  fi
  kill -0 "$demo_pid" 2>/dev/null || fail "npm start exited while waiting for telemetry"
  sleep 3
done
[ -n "$ok" ] || fail "the collector did not hold the shop's spans, logs, metric points and an error group (stats: ${stats:-none}; $(tail -2 "$cli_err"))"
log "telemetry arrived: $(node -e 'const r = JSON.parse(process.argv[1]).received; console.log(`${r.spans} spans, ${r.logs} logs, ${r.metrics} metric points`)' "$stats"), $(node -e 'console.log(JSON.parse(process.argv[1]).length)' "$errors") error group(s)"

# The demo redeploys the shop at the AI commit once it has made enough calls; the AI diff's
# before/after then needs 20 calls on each side.
shop_dir=$(grep -oE '^\[demo\] shop repository: [^ ]+' "$out" | head -1 | sed 's/.*: //')
[ -n "$shop_dir" ] || fail "the demo printed no shop repository"
ba=""
deadline=$((SECONDS + 240))
until [ $SECONDS -ge $deadline ]; do
  if grep -q '^\[demo\] deployed:' "$out"; then
    diffs=$(node dist/cli.js ai-diffs --json --workspace "$shop_dir" --port "$port" --storage "$storage" 2>"$cli_err")
    ba=$(node -e '
      const d = JSON.parse(process.argv[1] || "{}");
      const ok = (d.diffs || []).flatMap((x) => (x.runtime && x.runtime.units) || []).find((u) => u.status === "ok");
      if (ok) console.log(ok.sentence);
    ' "$diffs" 2>/dev/null)
    [ -n "$ba" ] && break
  fi
  kill -0 "$demo_pid" 2>/dev/null || fail "npm start exited while waiting for the deploy's before/after"
  sleep 3
done
[ -n "$ba" ] || fail "no AI diff has a before/after with 20 calls a side ($(grep '^\[demo\] deployed:' "$out" || echo 'the shop was not redeployed'))"
log "$(grep -oE '^\[demo\] deployed: [^;]+' "$out" | sed 's/^\[demo\] //')"
log "before/after: $ba"

log "Ctrl-C"
kill -INT -- "-$demo_pid"
for _ in $(seq 1 60); do
  kill -0 "$demo_pid" 2>/dev/null || break
  sleep 1
done
kill -0 "$demo_pid" 2>/dev/null && fail "npm start still runs 60 s after Ctrl-C"
if pgrep -g "$demo_pid" >/dev/null 2>&1; then
  pgrep -a -g "$demo_pid" | sed 's/^/  left running: /'
  fail "processes of the demo still run after Ctrl-C"
fi
grep -q '\[demo\] stopped' "$out" || fail "the demo did not report that it stopped"
log "ok: the demo came up, served its URLs, received the shop's telemetry, measured the deployed AI diff before and after and stopped on Ctrl-C"
