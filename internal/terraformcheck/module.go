package terraformcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Module is one Terraform module directory: its *.tf files parsed.
type Module struct {
	Dir    string
	blocks []*hclsyntax.Block
}

// LoadModule parses every *.tf file of dir.
func LoadModule(dir string) (*Module, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .tf files", dir)
	}
	m := &Module{Dir: dir}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		f, diags := hclsyntax.ParseConfig(src, file, hcl.InitialPos)
		if diags.HasErrors() {
			return nil, diags
		}
		m.blocks = append(m.blocks, f.Body.(*hclsyntax.Body).Blocks...)
	}
	return m, nil
}

// Blocks returns the top-level blocks of a type whose labels start with
// labels (resource "aws_s3_bucket" "this": Blocks("resource",
// "aws_s3_bucket", "this")).
func (m *Module) Blocks(typ string, labels ...string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range m.blocks {
		if b.Type == typ && len(b.Labels) >= len(labels) && slices.Equal(b.Labels[:len(labels)], labels) {
			out = append(out, b)
		}
	}
	return out
}

// Block returns the one block of a type and labels.
func (m *Module) Block(typ string, labels ...string) (*hclsyntax.Block, error) {
	bs := m.Blocks(typ, labels...)
	if len(bs) != 1 {
		return nil, fmt.Errorf("%s: %d blocks %s %q, want 1", m.Dir, len(bs), typ, labels)
	}
	return bs[0], nil
}

// Nested returns the blocks of a type directly inside b.
func Nested(b *hclsyntax.Block, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, n := range b.Body.Blocks {
		if n.Type == typ {
			out = append(out, n)
		}
	}
	return out
}

// ProviderFree reports whether the module needs no provider: no
// required_providers, resources, data sources or module calls. Terraform
// can init, validate and test such a module without a registry.
func (m *Module) ProviderFree() bool {
	for _, b := range m.Blocks("terraform") {
		if len(Nested(b, "required_providers")) > 0 {
			return false
		}
	}
	return len(m.Blocks("resource"))+len(m.Blocks("data"))+len(m.Blocks("module")) == 0
}
