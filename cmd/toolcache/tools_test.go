package main

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// Every tool declared in the project's code (a manifestcheck.Tool with a
// Name, outside tests) is in pinned, so none is left for `make test` to
// build cold.
func TestEveryDeclaredToolIsPinned(t *testing.T) {
	out, err := exec.Command("git", "-C", "../..", "ls-files", "*.go").Output()
	if err != nil {
		t.Fatal(err)
	}
	declared := regexp.MustCompile(`Tool\{Name: "([^"]+)"`)
	listed := map[string]bool{}
	for _, tool := range pinned {
		listed[tool.Name] = true
	}
	found := 0
	for _, file := range strings.Fields(string(out)) {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		src, err := os.ReadFile("../../" + file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range declared.FindAllStringSubmatch(string(src), -1) {
			found++
			if !listed[m[1]] {
				t.Errorf("%s declares the tool %q, which pinned does not list", file, m[1])
			}
		}
	}
	if found != len(pinned) {
		t.Errorf("%d tools declared, %d pinned: the list holds one no code declares", found, len(pinned))
	}
}
