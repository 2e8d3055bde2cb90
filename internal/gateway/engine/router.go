package engine

import (
	"errors"
	"io"
	"os"

	"github.com/gin-gonic/gin"
	httpsecure "github.com/krakend/krakend-httpsecure/v2/gin"
	"github.com/luraproject/lura/v2/config"
	"github.com/luraproject/lura/v2/logging"
	luragin "github.com/luraproject/lura/v2/router/gin"
)

// newGinEngine is lura's gin engine (the router namespace's options,
// /__health, the access log as JSON lines) with the service-wide middlewares: first
// those given, then the pooled copy buffer, the security/http response
// headers and the router's max_payload.
func newGinEngine(cfg config.ServiceConfig, logger logging.Logger, accessLog io.Writer, first ...gin.HandlerFunc) (*gin.Engine, error) {
	if accessLog == nil {
		accessLog = os.Stdout
	}
	// /__health lists async agents' reports; this build has none.
	agents := make(chan string)
	close(agents)
	engine := luragin.NewEngine(cfg, luragin.EngineOptions{Logger: logger, Writer: accessLog,
		Formatter: accessLogFormatter(accessLog), Health: agents})
	engine.Use(first...)
	engine.Use(pooledCopy)
	if err := httpsecure.Register(cfg.ExtraConfig, engine); err != nil && !errors.Is(err, httpsecure.ErrNoConfig) {
		return nil, err
	}
	if limit := maxPayload(cfg); limit > 0 {
		engine.Use(limitPayload(limit))
	}
	return engine, nil
}

// healthPath is where lura serves KrakenD's health endpoint: /__health
// unless the router namespace moves it (health_path).
func healthPath(cfg config.ServiceConfig) string {
	opts, _ := cfg.ExtraConfig[luragin.Namespace].(map[string]any)
	if p, ok := opts["health_path"].(string); ok && p != "" {
		return p
	}
	return "/__health"
}
