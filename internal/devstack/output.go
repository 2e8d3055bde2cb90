package devstack

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
)

// colors cycle through readable ANSI foreground colors, one per service.
var colors = []string{"36", "33", "32", "35", "34", "91", "96", "93"}

// Output interleaves the lines of many processes on one writer, each line
// whole and tagged with its source.
type Output struct {
	mu    sync.Mutex
	w     io.Writer
	width int
	color bool
	index map[string]int
}

// NewOutput tags lines with names padded to the longest of names.
func NewOutput(w io.Writer, color bool, names ...string) *Output {
	o := &Output{w: w, color: color, index: map[string]int{}}
	for i, n := range names {
		o.index[n] = i
		o.width = max(o.width, len(n))
	}
	return o
}

// ColorEnabled reports whether f is a terminal and NO_COLOR is unset
// (https://no-color.org), so redirected logs stay free of escape codes.
func ColorEnabled(f *os.File) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (o *Output) tag(name string) string {
	t := fmt.Sprintf("%-*s", o.width+2, "["+name+"]")
	if !o.color {
		return t + " "
	}
	i, ok := o.index[name]
	if !ok {
		i = len(o.index)
	}
	return "\x1b[" + colors[i%len(colors)] + "m" + t + "\x1b[0m "
}

// Printf writes one tagged message.
func (o *Output) Printf(name, format string, args ...any) {
	o.writeLine(o.tag(name), []byte(fmt.Sprintf(format, args...)))
}

// Block writes b untagged and in one piece (e.g. a table).
func (o *Output) Block(b []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, _ = o.w.Write(b)
}

func (o *Output) writeLine(tag string, line []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	buf := make([]byte, 0, len(tag)+len(line)+1)
	buf = append(append(append(buf, tag...), bytes.TrimRight(line, "\r\n")...), '\n')
	_, _ = o.w.Write(buf)
}

// Writer returns an io.Writer that tags each line written to it with name.
// Use one per stream; call Flush when the stream ends.
func (o *Output) Writer(name string) *LineWriter {
	return &LineWriter{o: o, tag: o.tag(name)}
}

// maxLine bounds buffering for output that never ends a line.
const maxLine = 64 << 10

// LineWriter buffers partial lines so lines from different processes never
// mix mid-line.
type LineWriter struct {
	o   *Output
	tag string

	mu  sync.Mutex
	buf []byte
}

func (lw *LineWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.buf = append(lw.buf, p...)
	for {
		i := bytes.IndexByte(lw.buf, '\n')
		if i < 0 {
			break
		}
		lw.o.writeLine(lw.tag, lw.buf[:i])
		lw.buf = lw.buf[i+1:]
	}
	if len(lw.buf) >= maxLine {
		lw.o.writeLine(lw.tag, lw.buf)
		lw.buf = nil
	}
	return len(p), nil
}

// Flush writes a final unterminated line, if any.
func (lw *LineWriter) Flush() {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if len(lw.buf) > 0 {
		lw.o.writeLine(lw.tag, lw.buf)
		lw.buf = nil
	}
}
