#!/usr/bin/env bash
# Regenerates every file derived from api/**/*.proto: Go messages and gRPC
# stubs (buf.gen.yaml), then per service the REST gateway and OpenAPI, which
# need that service's own HTTP rule file (<name>.http.yaml beside the proto).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/go-toolchain.sh

buf() { go tool -modfile=tools/go.mod buf "$@"; }

buf format --write api
buf lint
find api \( -name '*.pb.go' -o -name '*.pb.gw.go' -o -name '*.swagger.json' \) -delete
buf generate

for rules in api/*/v*/*.http.yaml; do
  dir=$(dirname "$rules")
  buf generate --path "$dir" --template "$(cat <<JSON
{"version":"v2","inputs":[{"directory":"api"}],"plugins":[
 {"local":["go","tool","protoc-gen-grpc-gateway"],"out":"api",
  "opt":["paths=source_relative","generate_unbound_methods=false","grpc_api_configuration=$rules"]},
 {"local":["go","tool","protoc-gen-openapiv2"],"out":"api",
  "opt":["grpc_api_configuration=$rules","generate_unbound_methods=false","json_names_for_fields=true","disable_default_errors=false"]}]}
JSON
)"
done
