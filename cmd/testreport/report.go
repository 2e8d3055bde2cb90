package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// slowestShown is how many of the slowest top-level tests the report
// lists, and slowShown the least duration listed: where a run's time goes
// is what a CI budget is cut by.
const (
	slowestShown = 10
	slowShown    = 5.0 // seconds
)

// event is one line of `go test -json` (test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

// Summary counts tests across packages.
type Summary struct {
	Passed, Failed, Skipped int
	// BuildFailed is set when a package did not compile or a line was not JSON.
	BuildFailed bool
	// timings are the finished top-level tests, for the slowest list.
	timings []timing
}

// timing is one top-level test's duration.
type timing struct {
	name    string
	elapsed float64
}

// summarize streams the report; output of a test is printed only if it fails.
func summarize(r io.Reader, w io.Writer) (Summary, error) {
	var s Summary
	outputs := map[string]*strings.Builder{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// Build errors arrive as plain text before the JSON stream.
			fmt.Fprintln(w, sc.Text())
			s.BuildFailed = true
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			if outputs[key] == nil {
				outputs[key] = &strings.Builder{}
			}
			outputs[key].WriteString(e.Output)
		case "pass", "fail", "skip":
			s.record(w, e, outputs[key])
			delete(outputs, key)
		}
	}
	s.printSlowest(w)
	fmt.Fprintf(w, "go-test: %d passed, %d failed, %d skipped\n", s.Passed, s.Failed, s.Skipped)
	return s, sc.Err()
}

func (s *Summary) record(w io.Writer, e event, out *strings.Builder) {
	if e.Test == "" { // package result
		switch {
		case e.Action == "fail":
			if out != nil {
				fmt.Fprint(w, out.String())
			}
			fmt.Fprintf(w, "FAIL %s (%.1fs)\n", e.Package, e.Elapsed)
			if out != nil && strings.Contains(out.String(), "[build failed]") {
				s.BuildFailed = true
			}
		case e.Action == "pass":
			fmt.Fprintf(w, "ok   %s (%.1fs)\n", e.Package, e.Elapsed)
		}
		return
	}
	if !strings.Contains(e.Test, "/") && e.Action != "skip" {
		s.timings = append(s.timings, timing{e.Package + " " + e.Test, e.Elapsed})
	}
	switch e.Action {
	case "pass":
		s.Passed++
	case "skip":
		s.Skipped++
		fmt.Fprintf(w, "SKIP %s %s\n", e.Package, e.Test)
	case "fail":
		s.Failed++
		if out != nil {
			fmt.Fprint(w, out.String())
		}
	}
}

// printSlowest lists the slowest top-level tests, longest first.
func (s *Summary) printSlowest(w io.Writer) {
	sort.SliceStable(s.timings, func(i, j int) bool { return s.timings[i].elapsed > s.timings[j].elapsed })
	for i, t := range s.timings {
		if i == slowestShown || t.elapsed < slowShown {
			break
		}
		fmt.Fprintf(w, "slow %6.1fs %s\n", t.elapsed, t.name)
	}
}
