package engine

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// countingWriter is a response writer that keeps only the body's size, so
// that the test's own allocations stay out of the measurement.
type countingWriter struct {
	header http.Header
	n      int
}

func (w *countingWriter) Header() http.Header         { return w.header }
func (w *countingWriter) WriteHeader(int)             {}
func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// A body copied into the response arrives whole, is counted by gin, and
// takes its buffer from the pool instead of allocating 32 KiB per response.
func TestPooledCopyStreamsTheBodyWithAPooledBuffer(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	body := strings.Repeat("shipshape ", 10_000) // larger than one buffer
	r := gin.New()
	r.Use(pooledCopy)
	var size int
	r.GET("/", func(c *gin.Context) {
		c.Status(http.StatusOK)
		// A plain reader, as a backend's response body is (no WriteTo).
		if _, err := io.Copy(c.Writer, struct{ io.Reader }{strings.NewReader(body)}); err != nil {
			t.Error(err)
		}
		size = c.Writer.Size()
	})
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	w := &countingWriter{header: http.Header{}}
	r.ServeHTTP(w, req)
	if w.n != len(body) || size != len(body) {
		t.Fatalf("wrote %d bytes (gin counted %d), want %d", w.n, size, len(body))
	}

	const runs = 100
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		r.ServeHTTP(&countingWriter{header: http.Header{}}, req)
	}
	runtime.ReadMemStats(&after)
	if perResponse := (after.TotalAlloc - before.TotalAlloc) / runs; perResponse >= 16<<10 {
		t.Errorf("%d bytes allocated per response: the copy buffer is not pooled", perResponse)
	}
}
