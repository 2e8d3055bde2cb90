#!/bin/sh
# dev-secrets.sh [DIR]: the development overlay's secrets, generated on this
# machine and never committed: one random PostgreSQL password per service,
# the passwords of Patroni's superuser, replication and rewind roles and of
# its REST API, identity's P-256 JWT signing key, the client secrets of the
# services that obtain service tokens (orders, cart) with the file of their
# hashes for identity, and PostgreSQL's TLS certificate with its
# development CA. Files that exist are kept, so
# re-running changes nothing and a deployed development cluster keeps
# working. DIR defaults to deploy/kubernetes/apps/development/secrets,
# which git ignores. Development only: staging and production get their
# secrets from External Secrets (docs/adr/0010).
set -eu

dir=${1:-$(cd "$(dirname "$0")/.." && pwd)/deploy/kubernetes/apps/development/secrets}
mkdir -p "$dir"
umask 077

# 32 characters from [A-Za-z0-9]: URL- and shell-safe, about 190 bits.
password() {
	LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32
}

# new_secret FILE: a random value in FILE, unless it has one.
new_secret() {
	if [ ! -s "$1" ]; then
		password >"$1.tmp"
		mv "$1.tmp" "$1"
		echo "dev-secrets: created $1"
	fi
}

for name in identity-database catalog-database cart-database orders-database \
	postgres-superuser postgres-replication postgres-rewind postgres-restapi; do
	new_secret "$dir/$name-password"
done

for client in orders cart; do
	new_secret "$dir/$client-service-client-secret"
done

if ! command -v openssl >/dev/null 2>&1; then
	echo "dev-secrets: openssl is needed for the keys (apt-get install -y openssl)" >&2
	exit 1
fi

# identity's SERVICE_CLIENTS_FILE: the SHA-256 of each client secret, made
# again from the secrets every time (the same secrets give the same file).
clients=$dir/service-clients
for client in orders cart; do
	printf '%s=%s\n' "$client" "$(printf '%s' "$(cat "$dir/$client-service-client-secret")" | openssl dgst -sha256 -r | cut -d' ' -f1)"
done >"$clients.tmp"
if ! cmp -s "$clients.tmp" "$clients"; then
	mv "$clients.tmp" "$clients"
	echo "dev-secrets: wrote $clients"
else
	rm -f "$clients.tmp"
fi

key=$dir/jwt-signing-key.pem
if [ ! -s "$key" ]; then
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key.tmp" 2>/dev/null
	mv "$key.tmp" "$key"
	echo "dev-secrets: created $key"
fi

# PostgreSQL's TLS: a development CA (its key is discarded: nothing else is
# ever signed with it) and the server certificate for the names the
# services and people use. Made together, so a half-made set is redone.
ca=$dir/postgres-ca.crt
if [ ! -s "$ca" ] || [ ! -s "$dir/postgres-tls.crt" ] || [ ! -s "$dir/postgres-tls.key" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
		-subj "/CN=shipshape development PostgreSQL CA" -keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>/dev/null
	names=DNS:postgres,DNS:postgres.shipshape,DNS:postgres.shipshape.svc,DNS:postgres.shipshape.svc.cluster.local
	names=$names,DNS:postgres-replicas,DNS:postgres-replicas.shipshape,DNS:postgres-replicas.shipshape.svc
	names=$names,DNS:postgres-replicas.shipshape.svc.cluster.local
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=postgres" \
		-keyout "$tmp/tls.key" -out "$tmp/tls.csr" 2>/dev/null
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$names" >"$tmp/ext"
	openssl x509 -req -in "$tmp/tls.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" -CAcreateserial \
		-days 825 -extfile "$tmp/ext" -out "$tmp/tls.crt" 2>/dev/null
	mv "$tmp/tls.key" "$dir/postgres-tls.key"
	mv "$tmp/tls.crt" "$dir/postgres-tls.crt"
	mv "$tmp/ca.crt" "$ca"
	echo "dev-secrets: created $ca, $dir/postgres-tls.crt and its key"
fi
