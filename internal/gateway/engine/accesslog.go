package engine

import (
	"io"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/shipshape-dev/shipshape/internal/platform/logging"
)

// accessLogFormatter makes lura's access log (the router namespace's
// disable_access_log and logger_skip_paths still apply) one JSON line per
// request in the services' shape, with the request's request_id, trace_id
// and span_id from its context, so the gateway's line joins the services'
// lines of the same request in the log store. The line is written here,
// through the chassis logger; gin is handed nothing to print.
func accessLogFormatter(w io.Writer) gin.LogFormatter {
	l := logging.New(w, slog.LevelInfo, slog.String("service", "gateway"))
	return func(p gin.LogFormatterParams) string {
		level := slog.LevelInfo
		if p.StatusCode >= 500 {
			level = slog.LevelWarn
		}
		attrs := []slog.Attr{
			slog.String("http.method", p.Method),
			// The path without the query string: search words are the
			// shopper's business.
			slog.String("http.path", p.Request.URL.Path),
			slog.Int("http.status", p.StatusCode),
			slog.Float64("duration_ms", float64(p.Latency)/float64(time.Millisecond)),
			slog.Int("bytes", max(p.BodySize, 0)),
			slog.String("client_ip", p.ClientIP),
		}
		if p.ErrorMessage != "" {
			attrs = append(attrs, slog.String("error", p.ErrorMessage))
		}
		l.LogAttrs(p.Request.Context(), level, "http request", attrs...)
		return ""
	}
}
