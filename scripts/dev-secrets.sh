#!/bin/sh
# dev-secrets.sh [DIR]: the development overlay's secrets, generated on this
# machine and never committed: one random PostgreSQL password per service,
# the passwords of Patroni's superuser, replication and rewind roles and of
# its REST API, and identity's P-256 JWT signing key. Files that exist are
# kept, so re-running changes nothing and a deployed development cluster
# keeps working. DIR defaults to deploy/kubernetes/overlays/development/secrets,
# which git ignores. Development only: staging and production get their
# secrets from External Secrets (docs/adr/0010).
set -eu

dir=${1:-$(cd "$(dirname "$0")/.." && pwd)/deploy/kubernetes/overlays/development/secrets}
mkdir -p "$dir"
umask 077

# 32 characters from [A-Za-z0-9]: URL- and shell-safe, about 190 bits.
password() {
	LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32
}

for name in identity-database catalog-database cart-database orders-database \
	postgres-superuser postgres-replication postgres-rewind postgres-restapi; do
	file=$dir/$name-password
	if [ ! -s "$file" ]; then
		password >"$file.tmp"
		mv "$file.tmp" "$file"
		echo "dev-secrets: created $file"
	fi
done

key=$dir/jwt-signing-key.pem
if [ ! -s "$key" ]; then
	if ! command -v openssl >/dev/null 2>&1; then
		echo "dev-secrets: openssl is needed for the JWT signing key (apt-get install -y openssl)" >&2
		exit 1
	fi
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key.tmp" 2>/dev/null
	mv "$key.tmp" "$key"
	echo "dev-secrets: created $key"
fi
