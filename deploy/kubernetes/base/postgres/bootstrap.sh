#!/bin/bash
# bootstrap.sh: the postgres StatefulSet's init container, at every start.
# Creates the cluster on the first start, then makes each service's role and
# database match the mounted password files (<passwords>/<role>, one per
# service Secret): a rotated password takes effect at the next restart.
# PostgreSQL runs on its Unix socket only while this works.
# The defaults are the container's paths; test/manifests overrides them to
# run this script against real PostgreSQL binaries.
set -euo pipefail

: "${PGDATA:?PGDATA must be set}"
bin=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
config=${PG_CONFIG_FILE:-/etc/postgresql/postgresql.conf}
socket=${PG_SOCKET_DIR:-/var/run/postgresql}
passwords=${PG_PASSWORDS_DIR:-/var/run/secrets/shipshape/passwords}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	echo "bootstrap: creating the cluster in $PGDATA"
	"$bin/initdb" --pgdata="$PGDATA" --username=postgres --encoding=UTF8 \
		--locale=C.UTF-8 --data-checksums --auth-local=peer --auth-host=reject >/dev/null
fi

"$bin/pg_ctl" --pgdata="$PGDATA" --wait --timeout=300 --silent \
	--options="-c config_file=$config -c listen_addresses=''" start
trap '"$bin/pg_ctl" --pgdata="$PGDATA" --mode=fast --wait --silent stop' EXIT

for file in "$passwords"/*; do
	[ -f "$file" ] || continue
	role=$(basename "$file")
	case $role in
	*[!a-z0-9_]* | "") echo "bootstrap: refusing role name \"$role\"" >&2; exit 1 ;;
	esac
	# The password travels in the environment, never on a command line, and
	# no log line may carry the statement that sets it.
	ROLE_PASSWORD=$(cat "$file") "$bin/psql" --no-psqlrc --quiet --set=ON_ERROR_STOP=1 \
		--host="$socket" --username=postgres --dbname=postgres --set=role="$role" <<'SQL'
SET log_statement = 'none';
SET log_min_error_statement = 'panic';
\getenv password ROLE_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'role', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'role') \gexec
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
	echo "bootstrap: role and database \"$role\" ready"
done
