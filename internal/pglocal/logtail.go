package pglocal

import (
	"fmt"
	"io"
	"os"
	"strings"
)

const tailLines = 20

// logTail returns the last lines of the server log for error messages, so a
// failed start explains itself without the user hunting for the file.
func logTail(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(no server log: %v)", err)
	}
	defer f.Close()
	const maxBytes = 8 << 10
	if fi, err := f.Stat(); err == nil && fi.Size() > maxBytes {
		_, _ = f.Seek(-maxBytes, io.SeekEnd)
	}
	b, _ := io.ReadAll(f)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > tailLines {
		lines = lines[len(lines)-tailLines:]
	}
	return fmt.Sprintf("--- last lines of %s ---\n%s", path, strings.Join(lines, "\n"))
}
