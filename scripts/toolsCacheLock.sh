# Sourced by scripts/ensure-tools.sh (and its test): one run at a time per tools cache, and
# installs that are either complete or absent.
#
# Two runs at once (two checkouts on one machine) used to build code-server into the same
# folder and break each other (node-gyp: a missing `.deps` file). `tools_lock CACHE` makes a
# second run wait for the first; `install_atomically DIR STEP…` builds into a temp folder
# beside DIR and renames it into place only when STEP succeeded, so an interrupted run never
# leaves a half-installed tool that the next run takes for complete.
#
# Needs `flock` (util-linux). The caller provides `log` and `fail`.

# Takes the cache's lock for the rest of this shell's life (and its children's: a child that
# outlives an interrupted run still holds it while it writes). Waits, saying for whom, when
# another run holds it. Then removes what interrupted runs left behind.
tools_lock() {
  local cache=$1
  local lock="$cache/.ensure-tools.lock"
  command -v flock >/dev/null 2>&1 ||
    fail "flock not found" "what to do: install util-linux (it provides flock), then run 'bash scripts/ensure-tools.sh' again"
  mkdir -p "$cache" || fail "creating $cache" "what to do: set VIBEWATCH_TOOLS_CACHE to a writable folder"
  exec {TOOLS_LOCK_FD}>>"$lock" || fail "opening $lock" "what to do: check the permissions of $cache"
  if ! flock -n "$TOOLS_LOCK_FD"; then
    local holder
    holder=$(head -c 32 "$lock" 2>/dev/null | tr -dc '0-9')
    log "waiting for another ensure-tools run (pid ${holder:-unknown}) to finish with $cache"
    flock "$TOOLS_LOCK_FD" || fail "locking $lock"
  fi
  # The holder's pid, for the message above (the lock is on the open file, not the name, so
  # rewriting the file keeps it).
  printf '%s\n' "$$" > "$lock"
  # Only a run holding the lock writes *.partial.* folders, so any found now are leftovers.
  local left
  for left in "$cache"/*.partial.*; do
    [ -e "$left" ] || continue
    log "removing $left (left by an interrupted run)"
    rm -rf "$left"
  done
}

# install_atomically DIR STEP [ARGS…]: runs `STEP TMP ARGS…` with TMP an empty folder beside
# DIR, then replaces DIR with TMP. A failing STEP (or `fail` inside it) ends the run with DIR
# as it was; TMP is removed on the way out, or by the next run's `tools_lock` if this one
# was killed.
install_atomically() {
  local dir=$1 step=$2
  shift 2
  local tmp="$dir.partial.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  # shellcheck disable=SC2064 # expand now: the trap must remove this run's folder
  trap "rm -rf '$tmp'" EXIT
  "$step" "$tmp" "$@"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  trap - EXIT
}
