// Package gateway holds the public API's one definition (routes.yaml) and
// the KrakenD configuration derived from it (config/).
package gateway

import _ "embed"

// RoutesYAML is routes.yaml, embedded so every tool reads the same bytes.
//
//go:embed routes.yaml
var RoutesYAML []byte
