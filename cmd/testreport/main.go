// Command testreport reads `go test -json` and prints what a person needs: one
// line per package, the output of failed tests, and a closing count.
package main

import (
	"os"
)

func main() {
	s, err := summarize(os.Stdin, os.Stdout)
	if err != nil || s.Failed > 0 || s.BuildFailed {
		os.Exit(1)
	}
}
