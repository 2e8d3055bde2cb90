// Command regocheck evaluates Rego policies over configuration files read
// as one input, as `conftest test --combine --all-namespaces --output json`
// does, and prints conftest's JSON: one result per policy package with its
// failures (rules deny*, violation*), warnings (warn*) and exceptions.
//
// Why not conftest's command: it compiles about 1,060 packages (policy
// downloads from registries and clouds, CUE, a dozen parsers), some 690 of
// them compiled by nothing else here. This main lives in trivy's module
// file, so it shares OPA with misconfig and adds only the HCL converter.
//
// Not carried over: successes and result metadata in the output,
// data.conftest.file, print() output, --fail-on-warn (warnings never fail).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
)

// paths is a repeatable flag.
type paths []string

func (p *paths) String() string     { return strings.Join(*p, ",") }
func (p *paths) Set(v string) error { *p = append(*p, v); return nil }

func main() {
	var policyPaths, dataPaths paths
	flag.Var(&policyPaths, "policy", "a Rego file or a directory of them (repeatable)")
	flag.Var(&dataPaths, "data", "a YAML or JSON data file or directory, merged into data (repeatable)")
	flag.Parse()
	if len(policyPaths) == 0 || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: regocheck --policy DIR [--data FILE] FILE...")
		os.Exit(2)
	}
	failed, err := run(policyPaths, dataPaths, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "regocheck:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1) // as conftest: failures are in the JSON, and the status says so
	}
}

func run(policyPaths, dataPaths, files []string) (failed bool, err error) {
	input, err := readInput(files)
	if err != nil {
		return false, err
	}
	engine, err := loadEngine(policyPaths, dataPaths)
	if err != nil {
		return false, err
	}
	results, err := engine.checkAll(context.Background(), input)
	if err != nil {
		return false, err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(results); err != nil {
		return false, err
	}
	for _, r := range results {
		if len(r.Failures) > 0 {
			failed = true
		}
	}
	return failed, nil
}
