// web/ is the storefront (Node.js), not Go. This file makes it a module of
// its own so the repository's `go vet ./...` and `go test ./...` never walk
// into web/node_modules, where some npm packages ship .go files.
module github.com/shipshape-dev/shipshape/web
