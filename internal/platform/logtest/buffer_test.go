package logtest

import (
	"fmt"
	"sync"
	"testing"
)

func TestConcurrentWritesKeepWholeLines(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() { fmt.Fprintf(&b, "{\"n\":%d}\n", i) })
	}
	wg.Wait()
	lines := b.Lines(t)
	seen := map[float64]bool{}
	for _, l := range lines {
		seen[l["n"].(float64)] = true
	}
	if len(lines) != 20 || len(seen) != 20 {
		t.Fatalf("got %d lines, %d distinct", len(lines), len(seen))
	}
}
