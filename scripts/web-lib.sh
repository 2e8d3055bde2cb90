# shellcheck shell=bash
# Helpers for the storefront scripts (web-build.sh, web-e2e.sh,
# web-bench.sh); source it from the repository root.

# web_require_node fails unless Node.js 20.9 or newer and npm are on PATH
# (Next.js 16 needs it; Debian 12's own nodejs package is too old).
web_require_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "the storefront needs Node.js 20.9+ and npm on PATH" >&2
    return 1
  fi
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=9)?0:1)'; then
    echo "the storefront needs Node.js 20.9 or newer; found $(node --version)" >&2
    return 1
  fi
}

# web_ensure_chromium installs Debian's chromium when it is missing (as
# root; otherwise it prints the command). Playwright's own browser download
# is not used.
web_ensure_chromium() {
  [[ -x /usr/bin/chromium ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "chromium is missing: sudo apt-get install -y chromium" >&2
    return 1
  fi
  echo "installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

# web_port_free PORT succeeds when nothing listens on 127.0.0.1:PORT.
web_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# web_free_port FROM prints the first free port at or above FROM.
web_free_port() {
  local p=$1
  until web_port_free "$p"; do p=$((p + 1)); done
  echo "$p"
}

# web_runtime_copy DEST copies the built storefront (web/.next/standalone) to
# DEST, where a test or benchmark runs it: the server writes its caches
# (route cache, regenerated pages) into its own tree, and the build output
# must stay as built because the release image is packed from it.
web_runtime_copy() {
  rm -rf "$1"
  cp -a web/.next/standalone "$1"
  rm -rf "$1/.next/cache"
}

# web_stack_start DATA PGPORT WEBPORT LOG STOREFRONT starts devstack (the
# services, the gateway and the storefront in directory STOREFRONT, as
# `make run` does) with its own data directory and PostgreSQL port, and
# waits for the storefront's readiness.
# The services and the gateway use their fixed ports, so `make run` must not
# be running. STACK_PID is set; web_stack_stop stops it.
web_stack_start() {
  local data=$1 pgport=$2 webport=$3 log=$4 storefront=$5
  local p busy=()
  local fixed
  read -ra fixed <<<"$(.bin/devstack -ports)"
  for p in "${fixed[@]}" "$pgport" "$webport"; do
    web_port_free "$p" || busy+=("$p")
  done
  if ((${#busy[@]})); then
    echo "ports in use: ${busy[*]} (is \`make run\` running? stop it first)" >&2
    return 1
  fi
  mkdir -p "$data"
  chmod 711 "$(dirname "$data")" "$data" # PostgreSQL runs as user postgres when we are root
  .bin/devstack -bin .bin -data "$data" -pg-port "$pgport" -web "$storefront" -web-port "$webport" >"$log" 2>&1 &
  STACK_PID=$!
  local deadline=$((SECONDS + 180))
  until curl -fsS -o /dev/null "http://127.0.0.1:$webport/readyz" 2>/dev/null; do
    if ! kill -0 "$STACK_PID" 2>/dev/null; then
      echo "devstack exited before the storefront was ready; its output:" >&2
      tail -n 60 "$log" >&2
      STACK_PID=
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "the storefront was not ready within 180 s; devstack's output:" >&2
      tail -n 60 "$log" >&2
      return 1
    fi
    sleep 0.5
  done
}

# web_stack_stop stops devstack (which stops everything it started) and
# waits up to 60 s before killing it.
web_stack_stop() {
  [[ -n ${STACK_PID:-} ]] || return 0
  kill -TERM "$STACK_PID" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$STACK_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$STACK_PID" 2>/dev/null; then
    echo "devstack did not stop within 60 s: killing it" >&2
    kill -KILL "$STACK_PID" 2>/dev/null || true
  fi
  wait "$STACK_PID" 2>/dev/null || true
  STACK_PID=
}
