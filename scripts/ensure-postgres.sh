#!/usr/bin/env bash
# Makes sure PostgreSQL server binaries exist for pglocal (tests, make run).
# Finds them by the same rules as pglocal.FindBinDir; installs them on Debian
# when root; otherwise says what to install.
set -euo pipefail

has_server() { [[ -x "$1/postgres" && -x "$1/initdb" ]]; }

found() {
  local dir
  if [[ -n "${PG_BINDIR:-}" ]]; then
    has_server "$PG_BINDIR" && return 0
    echo "PG_BINDIR=$PG_BINDIR does not contain postgres and initdb" >&2
    return 1
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    has_server "$dir" && return 0
  done
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    [[ -n "$dir" ]] && has_server "$dir" && return 0
  fi
  return 1
}

if found; then
  exit 0
fi

if [[ "$(id -u)" == 0 && -f /etc/debian_version && -z "${PG_BINDIR:-}" ]]; then
  echo "ensure-postgres: installing postgresql-15" >&2
  apt-get update
  # The package may also create and start a system cluster on port 5432;
  # nothing here uses it (pglocal runs its own servers).
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15
  found && exit 0
  echo "ensure-postgres: postgresql-15 installed but postgres/initdb still not found" >&2
  exit 1
fi

cat >&2 <<'MSG'
ensure-postgres: PostgreSQL server binaries (postgres, initdb) not found.
Install them, then re-run:
  Debian/Ubuntu:  sudo apt-get install -y postgresql-15
  Fedora/RHEL:    sudo dnf install -y postgresql-server
  macOS:          brew install postgresql@15
or set PG_BINDIR to the directory that holds postgres and initdb.
MSG
exit 1
