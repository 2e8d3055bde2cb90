package devstack

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

func TestLineWriterTagsWholeLines(t *testing.T) {
	var b bytes.Buffer
	o := NewOutput(&b, false, "catalog", "db")
	w := o.Writer("db")
	for _, chunk := range []string{"hel", "lo\nwor", "ld\r\n", "\npartial"} {
		if _, err := w.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := b.String(), "[db]      hello\n[db]      world\n[db]      \n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	w.Flush()
	w.Flush() // nothing left: no empty line
	if got := b.String(); !strings.HasSuffix(got, "[db]      partial\n") || strings.Count(got, "\n") != 4 {
		t.Fatalf("flush: got %q", got)
	}
}

func TestLineWriterColor(t *testing.T) {
	var b bytes.Buffer
	o := NewOutput(&b, true, "a", "b")
	o.Writer("b").Write([]byte("x\n"))
	if got, want := b.String(), "\x1b[33m[b]\x1b[0m x\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestLineWriterCapsLongLines(t *testing.T) {
	var b bytes.Buffer
	w := NewOutput(&b, false, "x").Writer("x")
	w.Write(bytes.Repeat([]byte("y"), maxLine+10))
	if strings.Count(b.String(), "\n") != 1 {
		t.Fatalf("long line not flushed: %d bytes out", b.Len())
	}
}

func TestConcurrentWritersNeverMixLines(t *testing.T) {
	var b bytes.Buffer
	o := NewOutput(&b, false, "a", "b")
	var wg sync.WaitGroup
	for _, name := range []string{"a", "b"} {
		wg.Go(func() {
			w := o.Writer(name)
			for range 200 {
				w.Write([]byte(name + name + name))
				w.Write([]byte(name + "\n"))
			}
		})
	}
	wg.Wait()
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line != "[a] aaaa" && line != "[b] bbbb" {
			t.Fatalf("mixed line %q", line)
		}
	}
}
