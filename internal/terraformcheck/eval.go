package terraformcheck

import (
	"fmt"
	"maps"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Scope is a module evaluated with its inputs: the values of var.* and
// local.*. A module call's outputs (module.x.out) are evaluated in the
// called module; a resource's attribute is its argument as configured
// (what Terraform plans for an argument the configuration sets); anything
// else (computed attributes, data sources, each, path) is unknown.
type Scope struct {
	*Module
	Vars   map[string]cty.Value
	Locals map[string]cty.Value

	modules map[string]cty.Value // outputs of module calls, by call name
}

// functions are the Terraform functions the configuration's names and
// settings use; a local that calls another one stays unknown.
var functions = map[string]function.Function{
	"concat":     stdlib.ConcatFunc,
	"contains":   stdlib.ContainsFunc,
	"distinct":   stdlib.DistinctFunc,
	"format":     stdlib.FormatFunc,
	"join":       stdlib.JoinFunc,
	"jsonencode": stdlib.JSONEncodeFunc,
	"keys":       stdlib.KeysFunc,
	"length":     stdlib.LengthFunc,
	"lower":      stdlib.LowerFunc,
	"merge":      stdlib.MergeFunc,
	"split":      stdlib.SplitFunc,
	"toset":      stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
	"tolist":     stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"trimprefix": stdlib.TrimPrefixFunc,
	"values":     stdlib.ValuesFunc,
}

// Evaluate gives a module its inputs (missing ones take the variable's
// default) and evaluates its locals.
func (m *Module) Evaluate(inputs map[string]cty.Value) (*Scope, error) {
	s := &Scope{Module: m, Vars: map[string]cty.Value{}, Locals: map[string]cty.Value{}}
	for _, b := range m.Blocks("variable") {
		name := b.Labels[0]
		if v, ok := inputs[name]; ok {
			s.Vars[name] = v
			continue
		}
		def, ok := b.Body.Attributes["default"]
		if !ok {
			return nil, fmt.Errorf("%s: variable %s has no default and no input", m.Dir, name)
		}
		v, diags := def.Expr.Value(nil)
		if diags.HasErrors() {
			return nil, diags
		}
		s.Vars[name] = v
	}
	for name := range inputs {
		if _, ok := s.Vars[name]; !ok {
			return nil, fmt.Errorf("%s: input %s is not a variable of the module", m.Dir, name)
		}
	}
	var pending []*hclsyntax.Attribute
	for _, b := range m.Blocks("locals") {
		for _, a := range b.Body.Attributes {
			pending = append(pending, a)
		}
	}
	// Locals may refer to each other in any order: evaluate those whose
	// references are settled until none is left; what cannot be
	// evaluated without a provider is unknown.
	for len(pending) > 0 {
		var next []*hclsyntax.Attribute
		for _, a := range pending {
			if s.waitsForLocal(a.Expr, pending) {
				next = append(next, a)
				continue
			}
			v, err := s.Eval(a.Expr)
			if err != nil {
				v = cty.DynamicVal
			}
			s.Locals[a.Name] = v
		}
		if len(next) == len(pending) {
			return nil, fmt.Errorf("%s: locals refer to each other in a cycle", m.Dir)
		}
		pending = next
	}
	return s, nil
}

func (s *Scope) waitsForLocal(expr hclsyntax.Expression, pending []*hclsyntax.Attribute) bool {
	for _, t := range expr.Variables() {
		if t.RootName() != "local" || len(t) < 2 {
			continue
		}
		name := t[1].(hcl.TraverseAttr).Name
		for _, p := range pending {
			if p.Name == name && p.Expr != expr {
				return true
			}
		}
	}
	return false
}

// Eval evaluates an expression in the scope.
func (s *Scope) Eval(expr hcl.Expression) (cty.Value, error) {
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":   cty.ObjectVal(s.Vars),
			"local": cty.ObjectVal(s.Locals),
		},
		Functions: functions,
	}
	calls, resources := map[string]cty.Value{}, map[string]map[string]cty.Value{}
	for _, t := range expr.Variables() {
		root := t.RootName()
		switch {
		case root == "var" || root == "local":
		case root == "module" && len(t) >= 2:
			name := t[1].(hcl.TraverseAttr).Name
			calls[name] = s.moduleOutputs(name)
		case len(t) >= 2 && len(s.Blocks("resource", root)) > 0:
			name := t[1].(hcl.TraverseAttr).Name
			if resources[root] == nil {
				resources[root] = map[string]cty.Value{}
			}
			resources[root][name] = s.resourceArguments(root, name)
		default:
			ctx.Variables[root] = cty.DynamicVal
		}
	}
	if len(calls) > 0 {
		ctx.Variables["module"] = cty.ObjectVal(calls)
	}
	for typ, byName := range resources {
		ctx.Variables[typ] = cty.ObjectVal(byName)
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	return v, nil
}

// Attr evaluates an argument of a block.
func (s *Scope) Attr(b *hclsyntax.Block, name string) (cty.Value, error) {
	a, ok := b.Body.Attributes[name]
	if !ok {
		return cty.NilVal, fmt.Errorf("%s: %s %q has no argument %s", s.Dir, b.Type, b.Labels, name)
	}
	return s.Eval(a.Expr)
}

// String evaluates an argument that must be a known string.
func (s *Scope) String(b *hclsyntax.Block, name string) (string, error) {
	v, err := s.Attr(b, name)
	if err != nil {
		return "", err
	}
	if !v.IsWhollyKnown() || v.IsNull() || v.Type() != cty.String {
		return "", fmt.Errorf("%s: %s %q argument %s is not a known string (%#v)", s.Dir, b.Type, b.Labels, name, v)
	}
	return v.AsString(), nil
}

// Resource evaluates an argument of resource "typ" "name".
func (s *Scope) Resource(typ, name, arg string) (cty.Value, error) {
	b, err := s.Block("resource", typ, name)
	if err != nil {
		return cty.NilVal, err
	}
	return s.Attr(b, arg)
}

// Output evaluates an output's value.
func (s *Scope) Output(name string) (cty.Value, error) {
	b, err := s.Block("output", name)
	if err != nil {
		return cty.NilVal, err
	}
	return s.Attr(b, "value")
}

// Call evaluates module "name"'s arguments in this scope and returns the
// called (local) module evaluated with them. count and for_each are not
// inputs; depends_on, providers and source neither.
func (s *Scope) Call(name string) (*Scope, error) {
	b, err := s.Block("module", name)
	if err != nil {
		return nil, err
	}
	source, err := s.String(b, "source")
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(source, "./") && !strings.HasPrefix(source, "../") {
		return nil, fmt.Errorf("%s: module %s: source %q is not a local path", s.Dir, name, source)
	}
	inputs := map[string]cty.Value{}
	for arg, a := range b.Body.Attributes {
		switch arg {
		case "source", "version", "count", "for_each", "depends_on", "providers":
			continue
		}
		v, err := s.Eval(a.Expr)
		if err != nil {
			// Only a provider could tell (a computed attribute).
			v = cty.DynamicVal
		}
		inputs[arg] = v
	}
	child, err := LoadModule(filepath.Join(s.Dir, filepath.FromSlash(source)))
	if err != nil {
		return nil, err
	}
	return child.Evaluate(maps.Clone(inputs))
}

// moduleOutputs evaluates module call name's outputs, once; a call with
// count or for_each (module.x[0]) is unknown.
func (s *Scope) moduleOutputs(name string) cty.Value {
	if v, ok := s.modules[name]; ok {
		return v
	}
	v := cty.DynamicVal
	b, err := s.Block("module", name)
	if err == nil && b.Body.Attributes["count"] == nil && b.Body.Attributes["for_each"] == nil {
		if child, err := s.Call(name); err == nil {
			outputs := map[string]cty.Value{}
			for _, o := range child.Blocks("output") {
				out, err := child.Attr(o, "value")
				if err != nil {
					out = cty.DynamicVal
				}
				outputs[o.Labels[0]] = out
			}
			v = cty.ObjectVal(outputs)
		}
	}
	if s.modules == nil {
		s.modules = map[string]cty.Value{}
	}
	s.modules[name] = v
	return v
}

// resourceArguments is a single resource's configured arguments; one with
// count or for_each, or an argument that cannot be evaluated, is unknown.
// An expression naming an attribute the configuration does not set fails
// to evaluate, which its caller treats as unknown.
func (s *Scope) resourceArguments(typ, name string) cty.Value {
	b, err := s.Block("resource", typ, name)
	if err != nil || b.Body.Attributes["count"] != nil || b.Body.Attributes["for_each"] != nil {
		return cty.DynamicVal
	}
	args := map[string]cty.Value{}
	for arg, a := range b.Body.Attributes {
		if arg == "depends_on" {
			continue
		}
		v, err := s.Eval(a.Expr)
		if err != nil {
			v = cty.DynamicVal
		}
		args[arg] = v
	}
	return cty.ObjectVal(args)
}
