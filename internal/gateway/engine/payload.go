package engine

import (
	"bytes"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/luraproject/lura/v2/config"
	luragin "github.com/luraproject/lura/v2/router/gin"
)

// maxPayload is the router namespace's max_payload: the largest request
// body in bytes, 0 for no limit. KrakenD Enterprise implements the field;
// KrakenD CE ignores it (its schema accepts it), so under the official CE
// image the services' own 1 MiB limit is what applies.
func maxPayload(cfg config.ServiceConfig) int64 {
	opts, _ := cfg.ExtraConfig[luragin.Namespace].(map[string]any)
	if n, ok := opts["max_payload"].(float64); ok && n > 0 {
		return int64(n)
	}
	return 0
}

// limitPayload answers 413 to a body over limit bytes before any backend
// is called. A body of unknown length (chunked) is read up to the limit
// here, so that an oversized one never reaches a backend half-sent.
func limitPayload(limit int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		r := c.Request
		if r.ContentLength > limit {
			c.AbortWithStatus(http.StatusRequestEntityTooLarge)
			return
		}
		if r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
			if err != nil {
				c.AbortWithStatus(http.StatusBadRequest)
				return
			}
			if int64(len(body)) > limit {
				c.AbortWithStatus(http.StatusRequestEntityTooLarge)
				return
			}
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		}
		c.Next()
	}
}
