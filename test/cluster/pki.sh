#!/usr/bin/env bash
# Certificates and kubeconfigs of the test cluster: one CA, the API server's
# serving certificate, a client certificate per component, the service
# account key pair. Written once per cluster state directory.
#   pki.sh          the cluster's, with node 1's
#   pki.sh node I   node I's kubelet: its client certificate (system:node:NAME,
#                   so the Node authorizer and NodeRestriction hold it to its
#                   own node) and serving certificate, in its state directory
set -euo pipefail
. "$(dirname "$0")/lib.sh"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
# ca NAME CN: a self-signed CA's key and certificate.
ca() {
	key "$1"
	openssl req -x509 -new -key "$1.key" -out "$1.crt" -days 30 -subj "/CN=$2" 2>/dev/null
}

# cert NAME SUBJECT EXTENSIONS [CA]: a key and a certificate signed by the
# CA (the cluster's unless named).
cert() {
	local ca=${4:-ca}
	key "$1"
	openssl req -new -key "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
	openssl x509 -req -in "$1.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -out "$1.crt" -days 30 \
		-extfile <(printf '%b' "$3") 2>/dev/null
	rm -f "$1.csr"
}
client='keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n'

# kubeconfig NAME CERT FILE: a kubeconfig for the client certificate CERT
# (.crt and .key), written to FILE.
kubeconfig() {
	cat >"$3" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: shipshape-test
    cluster:
      certificate-authority: $PKI/ca.crt
      server: https://$NODE_IP:6443
users:
  - name: $1
    user:
      client-certificate: $2.crt
      client-key: $2.key
contexts:
  - name: shipshape-test
    context: {cluster: shipshape-test, user: $1}
current-context: shipshape-test
KUBECONFIG
}

# kubelet_certs NAME IP: a node's kubelet client certificate, and its
# serving certificate from the cluster CA, as a kubelet's CSR
# (serverTLSBootstrap) gets it in a real cluster: metrics-server verifies it.
kubelet_certs() {
	cert kubelet "/CN=system:node:$1/O=system:nodes" "$client" "$PKI/ca"
	cert kubelet-serving "/CN=system:node:$1/O=system:nodes" "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:$2,DNS:$1\n" "$PKI/ca"
}

if [[ ${1:-} == node ]]; then
	dir=$(node_state "$2")
	mkdir -p "$dir/pki"
	cd "$dir/pki"
	kubelet_certs "$(node_name "$2")" "$(node_ip "$2")"
	kubeconfig kubelet "$dir/pki/kubelet" "$dir/kubelet.kubeconfig"
	chmod 600 ./*.key
	exit 0
fi

mkdir -p "$PKI"
cd "$PKI"
ca ca shipshape-test-cluster-ca
cert apiserver "/CN=kube-apiserver" "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:$NODE_IP,IP:${SERVICE_CIDR%.0/*}.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n"
cert admin "/CN=shipshape-test-admin/O=system:masters" "$client"
cert apiserver-kubelet-client "/CN=kube-apiserver-kubelet-client/O=system:masters" "$client"
cert controller-manager "/CN=system:kube-controller-manager" "$client"
cert scheduler "/CN=system:kube-scheduler" "$client"
kubelet_certs "$NODE_NAME" "$NODE_IP"
cert kube-proxy "/CN=system:kube-proxy" "$client"
cert kube-router "/CN=shipshape-kube-router/O=system:masters" "$client"
key service-account
openssl pkey -in service-account.key -pubout -out service-account.pub
# The front proxy: the API server forwards requests for aggregated APIs
# (metrics.k8s.io) with this client certificate, from a CA of its own, and
# the aggregated server trusts the user it names only from it.
ca front-proxy-ca shipshape-test-front-proxy-ca
cert front-proxy-client "/CN=front-proxy-client" "$client" front-proxy-ca
# The release registry's own CA (a registry is not the cluster's to vouch
# for; containerd trusts this CA for that one host), its serving
# certificate, and its account's password.
ca registry-ca shipshape-test-registry-ca
cert registry "/CN=${REGISTRY%:*}" "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:${REGISTRY%:*},IP:127.0.0.1\n" registry-ca
(umask 077 && openssl rand -hex 24 >registry.password)
# The S3 store's CA and certificate (pgBackRest matches the endpoint only
# against a certificate's DNS names), and the repository's credentials and
# encryption passphrase for the postgres-backup Secret (deploy.sh).
ca s3-ca shipshape-test-s3-ca
cert s3 "/CN=$S3_NAME" "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:$S3_NAME,DNS:${S3_NAME%.cluster.local},IP:${S3_STORE%:*}\n" s3-ca
(umask 077 && printf 'PGBACKREST_REPO1_S3_KEY=%s\nPGBACKREST_REPO1_S3_KEY_SECRET=%s\nPGBACKREST_REPO1_CIPHER_PASS=%s\n' \
	"$(openssl rand -hex 10)" "$(openssl rand -hex 20)" "$(openssl rand -hex 24)" >backup-repository.env)

for name in admin controller-manager scheduler kubelet kube-proxy kube-router; do
	kubeconfig "$name" "$PKI/$name" "$STATE/$name.kubeconfig"
done
chmod 600 "$PKI"/*.key
