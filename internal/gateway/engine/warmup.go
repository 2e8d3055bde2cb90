package engine

import (
	"context"
	"net/http"
	"slices"
	"time"

	jose "github.com/krakend/krakend-jose/v2"
	"github.com/luraproject/lura/v2/config"
	"github.com/luraproject/lura/v2/logging"
)

// jwkURLs are the distinct JWK set URLs the configuration's auth/validator
// components (service and endpoints) validate tokens against.
func jwkURLs(cfg config.ServiceConfig) []string {
	var urls []string
	add := func(extra config.ExtraConfig) {
		// keyed by the namespace's full name once parsed (registerAliases)
		v, _ := extra[jose.ValidatorNamespace].(map[string]any)
		if u, ok := v["jwk_url"].(string); ok && u != "" && !slices.Contains(urls, u) {
			urls = append(urls, u)
		}
	}
	add(cfg.ExtraConfig)
	for _, e := range cfg.Endpoints {
		add(e.ExtraConfig)
	}
	return urls
}

// awaitJWKS returns once every URL has answered a GET with 200, trying
// every interval, or when ctx ends. It only checks reachability: the
// validators fetch and cache the keys themselves on first use.
func awaitJWKS(ctx context.Context, urls []string, interval time.Duration, logger logging.Logger) {
	client := &http.Client{Timeout: 2 * time.Second}
	pending := slices.Clone(urls)
	for {
		pending = slices.DeleteFunc(pending, func(u string) bool {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				return false
			}
			resp, err := client.Do(req)
			if err != nil {
				logger.Warning("[SERVICE: Gateway] JWK set not reachable yet:", err.Error())
				return false
			}
			_ = resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
		if len(pending) == 0 {
			logger.Info("[SERVICE: Gateway] JWK sets reachable: ready")
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
