package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// Rule names that report, as conftest names them.
var (
	failureRule = regexp.MustCompile(`^(deny|violation)(_[a-zA-Z0-9]+)*$`)
	warningRule = regexp.MustCompile(`^warn(_[a-zA-Z0-9]+)*$`)
)

type message struct {
	Msg string `json:"msg"`
}

// result is conftest's JSON result for one policy package.
type result struct {
	Filename   string    `json:"filename"`
	Namespace  string    `json:"namespace"`
	Failures   []message `json:"failures"`
	Warnings   []message `json:"warnings"`
	Exceptions []message `json:"exceptions"`
}

type engine struct {
	compiler *ast.Compiler
	store    storage.Store
	rules    map[string][]string // package (without "data.") -> reporting rule names
}

// loadEngine compiles the Rego files under policyPaths (Rego v1) and loads
// the data files into the store.
func loadEngine(policyPaths, dataPaths []string) (*engine, error) {
	loaded, err := loader.NewFileLoader().WithRegoVersion(ast.RegoV1).WithProcessAnnotation(true).
		Filtered(policyPaths, skipUnless(".rego"))
	if err != nil {
		return nil, err
	}
	modules := loaded.ParsedModules()
	if len(modules) == 0 {
		return nil, fmt.Errorf("no Rego files under %v", policyPaths)
	}
	compiler := ast.NewCompiler()
	if compiler.Compile(modules); compiler.Failed() {
		return nil, compiler.Errors
	}
	e := &engine{compiler: compiler, store: inmem.New(), rules: map[string][]string{}}
	if len(dataPaths) > 0 {
		docs, err := loader.NewFileLoader().Filtered(dataPaths, skipUnless(".yaml", ".yml", ".json"))
		if err != nil {
			return nil, err
		}
		if e.store, err = docs.Store(); err != nil {
			return nil, err
		}
	}
	for _, m := range modules {
		ns := strings.TrimPrefix(m.Package.Path.String(), "data.")
		if _, ok := e.rules[ns]; !ok {
			e.rules[ns] = nil
		}
		for _, r := range m.Rules {
			name := r.Head.Ref().String()
			if (failureRule.MatchString(name) || warningRule.MatchString(name)) && !slices.Contains(e.rules[ns], name) {
				e.rules[ns] = append(e.rules[ns], name)
			}
		}
	}
	return e, nil
}

// skipUnless is a loader filter (true skips) that keeps directories and
// the files with those extensions.
func skipUnless(exts ...string) loader.Filter {
	return func(_ string, info os.FileInfo, _ int) bool {
		return !info.IsDir() && !slices.Contains(exts, strings.ToLower(filepath.Ext(info.Name())))
	}
}

// checkAll evaluates every package against the input, packages sorted.
func (e *engine) checkAll(ctx context.Context, input []any) ([]result, error) {
	value, err := ast.InterfaceToValue(input)
	if err != nil {
		return nil, err
	}
	namespaces := make([]string, 0, len(e.rules))
	for ns := range e.rules {
		namespaces = append(namespaces, ns)
	}
	slices.Sort(namespaces)
	results := make([]result, 0, len(namespaces))
	for _, ns := range namespaces {
		r := result{Filename: "Combined", Namespace: ns, Failures: []message{}, Warnings: []message{}, Exceptions: []message{}}
		for _, rule := range e.rules[ns] {
			if err := e.checkRule(ctx, value, ns, rule, &r); err != nil {
				return nil, err
			}
		}
		results = append(results, r)
	}
	return results, nil
}

// checkRule adds one rule's messages to r. As in conftest, an exception
// naming the rule (its name without the deny_/violation_/warn_ prefix, ""
// for the bare ones) turns its whole result into one exception.
func (e *engine) checkRule(ctx context.Context, input ast.Value, ns, rule string, r *result) error {
	suffix := ""
	if i := strings.IndexByte(rule, '_'); i >= 0 {
		suffix = rule[i+1:]
	}
	exceptionQuery := fmt.Sprintf("data.%s.exception[_][_] == %q", ns, suffix)
	excepted, err := e.eval(ctx, input, exceptionQuery)
	if err != nil {
		return err
	}
	if len(excepted) > 0 {
		r.Exceptions = append(r.Exceptions, message{exceptionQuery})
		return nil
	}
	rs, err := e.eval(ctx, input, "data."+ns+"."+rule)
	if err != nil {
		return err
	}
	reported := &r.Warnings
	if failureRule.MatchString(rule) {
		reported = &r.Failures
	}
	for _, res := range rs {
		for _, expr := range res.Expressions {
			values, _ := expr.Value.([]any) // a set; anything else reports nothing
			for _, v := range values {
				msg, err := messageOf(v)
				if err != nil {
					return fmt.Errorf("data.%s.%s: %w", ns, rule, err)
				}
				*reported = append(*reported, message{msg})
			}
		}
	}
	return nil
}

// messageOf is a reported value's message: a string, or an object's "msg".
func messageOf(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case map[string]any:
		if msg, ok := v["msg"].(string); ok {
			return msg, nil
		}
	}
	return "", fmt.Errorf("reported %v: want a string or an object with a string msg", v)
}

func (e *engine) eval(ctx context.Context, input ast.Value, query string) (rego.ResultSet, error) {
	rs, err := rego.New(rego.Query(query), rego.Compiler(e.compiler), rego.Store(e.store), rego.ParsedInput(input)).Eval(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", query, err)
	}
	return rs, nil
}
