#!/usr/bin/env bash
# dns.sh up|stop: the edge network's DNS server, BIND 9 from Debian on the
# host's end of the edge link ($EDGE_DNS), authoritative for the test zone
# ($EDGE_ZONE) and nothing else (no recursion). ExternalDNS writes the
# Ingresses' records into it by RFC 2136 dynamic updates signed with its
# TSIG key; the tests make "hand-made" records with the operator's key. The
# keys are generated once per cluster state (never in git); deploy.sh puts
# ExternalDNS' into a Secret. up.sh runs `up` after the edge link exists,
# down.sh `stop`.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

DNS_DIR=$STATE/dns

# tsig_key NAME: the key's secret (base64, no newline: deploy.sh puts the
# file into a Secret as it is), made the first time.
tsig_key() {
	local file=$PKI/dns-$1.tsig
	[[ -s $file ]] || (umask 077 && openssl rand -base64 32 | tr -d '\n' >"$file")
	cat "$file"
}

configure() {
	mkdir -p "$DNS_DIR"
	cat >"$DNS_DIR/named.conf" <<CONF
options {
	directory "$DNS_DIR";
	pid-file "$DNS_DIR/named.pid";
	session-keyfile "$DNS_DIR/session.key";
	listen-on port ${EDGE_DNS#*:} { ${EDGE_DNS%:*}; };
	listen-on-v6 { none; };
	recursion no;
	dnssec-validation no;
	notify no;
};
// no rndc: the daemon is stopped by its PID
controls { };
key "externaldns" { algorithm hmac-sha256; secret "$(tsig_key externaldns)"; };
key "operator" { algorithm hmac-sha256; secret "$(tsig_key operator)"; };
zone "$EDGE_ZONE" {
	type primary;
	file "$EDGE_ZONE.zone";
	allow-update { key "externaldns"; key "operator"; };
	// ExternalDNS lists the zone by transfer to find its own records
	allow-transfer { key "externaldns"; key "operator"; };
};
CONF
	# A new zone each time: what an earlier run left (and its journal) is
	# not this cluster's.
	rm -f "$DNS_DIR/$EDGE_ZONE.zone" "$DNS_DIR/$EDGE_ZONE.zone.jnl"
	cat >"$DNS_DIR/$EDGE_ZONE.zone" <<ZONE
\$TTL 60
@	IN SOA ns.$EDGE_ZONE. hostmaster.$EDGE_ZONE. 1 60 30 3600 30
@	IN NS ns.$EDGE_ZONE.
ns	IN A ${EDGE_DNS%:*}
ZONE
	# named drops root for the Debian package's user, which then writes
	# the zone's journal here; the configuration (with the keys) it reads
	# before.
	chown -R bind:bind "$DNS_DIR"
	chmod 0750 "$DNS_DIR"
	chown root:bind "$DNS_DIR/named.conf"
	chmod 0640 "$DNS_DIR/named.conf"
	named-checkconf -z "$DNS_DIR/named.conf" >/dev/null
}

answers() { [[ $(dig +short +time=1 +tries=1 -p "${EDGE_DNS#*:}" "@${EDGE_DNS%:*}" "ns.$EDGE_ZONE" A) == "${EDGE_DNS%:*}" ]]; }

case ${1:-} in
up)
	running named && exit 0
	configure
	start named named -f -u bind -c "$DNS_DIR/named.conf"
	waitfor "BIND on $EDGE_DNS" 30 answers
	;;
stop)
	stop named
	;;
*) die "usage: dns.sh up|stop" ;;
esac
