package gateway

import "embed"

// Config is config/: the KrakenD flexible-configuration templates, partials
// and per-environment settings, embedded so the renderer and its checks read
// exactly what is committed.
//
//go:embed config/templates config/partials config/settings
var Config embed.FS
