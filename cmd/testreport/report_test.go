package main

import (
	"strings"
	"testing"
)

func TestSummarizeCountsAndShowsOnlyFailures(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"noise from a passing test\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"want 1, got 2\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestB"}`,
		`{"Action":"skip","Package":"p","Test":"TestC"}`,
		`{"Action":"fail","Package":"p","Elapsed":1.5}`,
	}, "\n")
	var out strings.Builder
	s, err := summarize(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	if s.Passed != 1 || s.Failed != 1 || s.Skipped != 1 {
		t.Fatalf("counts = %+v", s)
	}
	got := out.String()
	if strings.Contains(got, "noise from a passing test") || !strings.Contains(got, "want 1, got 2") {
		t.Fatalf("output should show failures only:\n%s", got)
	}
	if !strings.HasSuffix(got, "go-test: 1 passed, 1 failed, 1 skipped\n") {
		t.Fatalf("missing closing line:\n%s", got)
	}
}

func TestSummarizeFlagsBuildFailures(t *testing.T) {
	s, _ := summarize(strings.NewReader("# p\n./x.go:1: syntax error\n"), &strings.Builder{})
	if !s.BuildFailed {
		t.Fatal("plain-text lines must count as a build failure")
	}
}

func TestSummarizeListsTheSlowestTopLevelTests(t *testing.T) {
	var lines []string
	for i, elapsed := range []string{"3", "40.25", "7", "12", "9", "6", "8", "11", "13", "14", "15", "16"} {
		lines = append(lines, `{"Action":"pass","Package":"p","Test":"T`+string(rune('a'+i))+`","Elapsed":`+elapsed+`}`)
	}
	lines = append(lines,
		`{"Action":"pass","Package":"p","Test":"Tb/sub","Elapsed":99}`, // a subtest is part of its test
		`{"Action":"skip","Package":"p","Test":"Tz","Elapsed":50}`)
	var out strings.Builder
	if _, err := summarize(strings.NewReader(strings.Join(lines, "\n")), &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	want := "slow   40.2s p Tb\nslow   16.0s p Tl\n"
	if !strings.Contains(got, want) {
		t.Fatalf("the slowest test first, then the next:\n%s", got)
	}
	if n := strings.Count(got, "slow "); n != 10 {
		t.Fatalf("%d slow lines, want the 10 slowest:\n%s", n, got)
	}
	for _, hidden := range []string{"s p Ta\n", "s p Tf\n", "Tb/sub", "s p Tz\n"} {
		if strings.Contains(got, hidden) {
			t.Fatalf("%q listed: under the threshold, below the ten, a subtest or skipped:\n%s", hidden, got)
		}
	}
	if !strings.HasSuffix(got, "go-test: 13 passed, 0 failed, 1 skipped\n") {
		t.Fatalf("the count must stay the closing line:\n%s", got)
	}
}
