package engine

import (
	"io"
	"sync"

	"github.com/gin-gonic/gin"
)

// copyBuffers hold the buffers pooledCopy lends to io.Copy.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// pooledCopy lets io.Copy into the response reuse a pooled buffer. lura
// streams a no-op endpoint's backend body with io.Copy, and gin's writer has
// no ReadFrom, so every such response would otherwise allocate (and the
// collector then sweep) a fresh 32 KiB buffer.
func pooledCopy(c *gin.Context) {
	c.Writer = readFromWriter{c.Writer}
	c.Next()
}

type readFromWriter struct{ gin.ResponseWriter }

func (w readFromWriter) ReadFrom(r io.Reader) (int64, error) {
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	// Only Write: io.CopyBuffer must not find this ReadFrom again.
	return io.CopyBuffer(struct{ io.Writer }{w.ResponseWriter}, r, *buf)
}
