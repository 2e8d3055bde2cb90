package slo

import (
	"bytes"
	"fmt"
	"os"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// Where the spec and the generated rules live, from the repository root.
var (
	SpecPath  = []string{"deploy", "kubernetes", "apps", "components", "monitoring", "slos.yaml"}
	RulesPath = []string{"deploy", "kubernetes", "apps", "components", "monitoring", "slo-rules.yaml"}
)

// Generate reads the repository's spec and routes and renders the rules.
func Generate(repo manifestcheck.Repo) ([]byte, error) {
	api, err := routes.Load()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(repo.Path(SpecPath...))
	if err != nil {
		return nil, err
	}
	spec, err := Parse(data, api)
	if err != nil {
		return nil, err
	}
	pr, err := Rules(spec, api)
	if err != nil {
		return nil, err
	}
	return Render(pr)
}

// Write regenerates the rules file of the repository around dir, or with
// check only compares it.
func Write(dir string, check bool) error {
	repo, err := manifestcheck.FindRepo(dir)
	if err != nil {
		return err
	}
	want, err := Generate(repo)
	if err != nil {
		return err
	}
	path := repo.Path(RulesPath...)
	if check {
		have, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !bytes.Equal(have, want) {
			return fmt.Errorf("%s is stale: run make generate and commit it", path)
		}
		return nil
	}
	return os.WriteFile(path, want, 0o644)
}
