# shipshape: `make run` runs the system, `make test` runs every test.
# The Go version is the toolchain line of go.mod; the go command fetches it.
export GOTOOLCHAIN := $(or $(GOTOOLCHAIN),$(shell sed -n 's/^toolchain //p' go.mod))
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

BIN      := .bin
DATA     := .data
SERVICES := identity catalog cart orders
GO_TEST_FLAGS ?= -race -count=1 -timeout 15m
BUF      := go tool -modfile=tools/go.mod buf

.PHONY: help run build test test-go lint vet tools scan check-generated generate load capacity loadgen bench deps clean web-build test-web bench-web gateway-check krakend-check compose-up manifests-check manifests-generate terraform-check dev-secrets cluster-up cluster-down cluster-deploy test-cluster test-nodes

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

deps: ## install what the machine lacks (PostgreSQL server binaries; Patroni, pgBackRest, etcd for test/dbha; btrfs-progs)
	@scripts/ensure-postgres.sh
	@scripts/ensure-dbha.sh

# Static and -trimpath, as the images (static_go_build in
# test/cluster/lib.sh) and the tests' child processes (internal/gobuild):
# one compile of the graph serves them all, and the commands `make` runs
# with `go run` build the same way for the same reason. -exec runs them
# without CGO_ENABLED=0 in their environment: it is a build setting, and
# the go commands they start (the scan's `go list -race`) need cgo.
STATIC_BUILD := CGO_ENABLED=0 go build -trimpath
GO_RUN       := CGO_ENABLED=0 go run -trimpath -exec 'env -u CGO_ENABLED'

build: ## build every service binary into .bin/
	@mkdir -p $(BIN)
	$(STATIC_BUILD) -o $(BIN)/ $(addprefix ./cmd/,$(SERVICES)) ./cmd/devstack ./cmd/gateway ./cmd/gateway-config

# The storefront writes caches into its own tree: it runs from a copy, so
# web/.next/standalone stays as built (images are packed from it).
run: deps build web-build ## run the whole system locally, storefront on :3000 (Ctrl-C stops it)
	@source scripts/web-lib.sh && mkdir -p $(DATA) && web_runtime_copy $(DATA)/storefront
	$(BIN)/devstack -bin $(BIN) -data $(DATA) -web $(DATA)/storefront

# terraform-check is not a step of its own here: test-go runs its packages,
# and since tflint shares tools/go.mod with misconfig (built by scan) their
# cold builds fit test-go's timeout, so a separate step only ran them twice.
test: deps check-generated lint scan test-go test-web ## everything `make test` checks, as CI runs it

lint: vet ## formatting, vet, buf lint, shellcheck
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(BUF) lint
	$(BUF) format --diff --exit-code api
	@scripts/shellcheck.sh

# vet, terraform-check and gosec (make scan) build with -race as test-go
# does, so all of them share one compile of every dependency: a new machine
# compiled the whole graph twice before.
vet: ## go vet, in the race configuration test-go compiles
	go vet -race ./...
	go vet -race -tags cluster ./test/cluster/ ./test/nodes/ ./deploy/addons/...

# buf first: check-generated, make test's first Go step, runs it.
tools: ## build every pinned tool the checks run (buf, the scanners, kustomize, promtool...) into the cache
	@$(BUF) --version >/dev/null
	$(GO_RUN) ./cmd/toolcache

scan: ## offline security scans: govulncheck, gosec, gitleaks, trivy config, actionlint (accepted findings: security/accepted-findings.yaml)
	$(GO_RUN) ./cmd/scan

check-generated: ## fail when generated code or OpenAPI is stale
	@scripts/check-generated.sh

generate: ## regenerate code and OpenAPI from api/**/*.proto, the gateway's routes from routes.yaml, the SLO rules from slos.yaml, the dashboards
	@scripts/generate.sh
	$(GO_RUN) ./cmd/gateway-config routes
	$(GO_RUN) ./cmd/slo-rules
	$(GO_RUN) ./cmd/dashboards

gateway-check: ## render the KrakenD config of every environment and check its invariants
	$(GO_RUN) ./cmd/gateway-config check

krakend-check: ## run `krakend check` with the official image on every rendered config (needs Docker)
	scripts/krakend-check.sh

compose-up: ## the whole stack with the real KrakenD (needs Docker)
	docker compose -f deploy/compose/compose.yaml up --build

manifests-check: ## Kubernetes manifests offline: every overlay and component combination, kubeconform, policies
	go test -count=1 ./internal/manifestcheck ./test/manifests

terraform-check: ## Terraform offline: fmt, provider-free init/validate/test, tflint, trivy config, Rego policies, names against the manifests
	go test -race -count=1 -timeout 90m ./internal/terraformcheck ./test/terraform

manifests-generate: ## re-render the overlays' gateway configs and the capacity table in docs/kubernetes.md
	@scripts/render-gateway-config.sh
	go test -count=1 ./test/manifests -run TestProductionCapacity -update

dev-secrets: ## generate the development overlay's secrets (git-ignored, development only)
	@scripts/dev-secrets.sh

test-go: ## go test (real PostgreSQL, real listeners)
	go test $(GO_TEST_FLAGS) -json ./... | $(GO_RUN) ./cmd/testreport

load: loadgen ## drive the running `make run` with the shop's traffic mix (LOAD_FLAGS, e.g. -rate 100); report in test-results/load/
	$(BIN)/loadgen -spread-clients $(LOAD_FLAGS)

capacity: loadgen ## find the highest rate of the shop mix the running `make run` serves cleanly (p99 under 300 ms, nothing failed or throttled); test-results/load/capacity.md
	$(BIN)/loadgen -spread-clients -capacity -rate 20 -ramp 5s -steady 30s $(LOAD_FLAGS)

loadgen: deps
	@mkdir -p $(BIN)
	$(STATIC_BUILD) -o $(BIN)/ ./cmd/loadgen

bench: deps build ## run benchmarks and rewrite docs/benchmarks.md
	@scripts/bench.sh

web-build: ## install the storefront's npm packages and build it (web/.next/standalone)
	@scripts/web-build.sh

test-web: ## storefront: lint, type check, unit tests, browser tests on the whole stack
	@scripts/web-test.sh

bench-web: deps build ## storefront response times and JS size into docs/benchmarks.md
	@scripts/web-bench.sh

clean: ## remove build output (keeps the local database in .data/)
	rm -rf $(BIN) web/.next web/.test-build

cluster-up: ## a Kubernetes cluster from upstream sources on this machine, one node (SHIPSHAPE_NODES=3: three) (root; binaries cached by version)
	test/cluster/up.sh

cluster-deploy: ## build every image from this checkout, import it and deploy the development overlay to that cluster
	test/cluster/deploy.sh

cluster-down: ## stop the cluster and return the host to how it was before cluster-up
	test/cluster/down.sh

test-cluster: ## cluster-up, cluster-deploy, the tests against the cluster, cluster-down (KEEP_CLUSTER=1 keeps it)
	test/cluster/test.sh

test-nodes: ## the three-node suite: a cluster of three nodes (SHIPSHAPE_NODES), the shop as production runs it, test/nodes, cluster-down
	test/cluster/test-nodes.sh
