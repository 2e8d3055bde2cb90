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
