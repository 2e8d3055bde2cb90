// Package manifestcheck is the library behind test/manifests, which
// validates deploy/kubernetes offline as `make test` runs it: every overlay
// and every combination of components is built with the pinned kustomize,
// validated strictly by the pinned kubeconform against JSON schemas
// generated here from the Kubernetes OpenAPI document and from CRDs (both
// read from Go module zips), and checked by our own policies in
// deploy/policies by regocheck (OPA, as conftest --combine runs them). The
// suites in test/manifests add what a policy language states poorly:
// capacity at maximum scale, the database connection budget, the network
// paths between workloads, the gateway configuration's freshness, the
// PostgreSQL members' Patroni setup and the metrics the alert rules name.
//
// Tools and schemas are built once and cached under ~/.cache/shipshape/
// manifests (shared by every checkout; $MANIFESTS_CACHE moves it), keyed by
// version.
package manifestcheck
