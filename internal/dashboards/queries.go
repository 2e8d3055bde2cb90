package dashboards

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

// Query is one PromQL expression of a dashboard panel.
type Query struct {
	Panel, Expr string
}

// Queries reads every panel's expressions from a dashboard's JSON model
// (what tests run against Prometheus or check for metric names).
func Queries(model []byte) ([]Query, error) {
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(model, &d); err != nil {
		return nil, err
	}
	var out []Query
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			return nil, fmt.Errorf("panel %q has no query", p.Title)
		}
		for _, t := range p.Targets {
			if strings.TrimSpace(t.Expr) == "" {
				return nil, fmt.Errorf("panel %q has an empty query", p.Title)
			}
			out = append(out, Query{Panel: p.Title, Expr: t.Expr})
		}
	}
	return out, nil
}

// ForPrometheus makes a panel's expression one Prometheus itself runs:
// Grafana's rate window variable becomes window.
func ForPrometheus(expr, window string) string {
	return strings.ReplaceAll(expr, RateInterval, window)
}

// ReadCommitted reads the queries of every dashboard from its committed
// JSON in the repository around dir, each panel named
// "<dashboard> / <panel>".
func ReadCommitted(dir string) ([]Query, error) {
	repo, err := manifestcheck.FindRepo(dir)
	if err != nil {
		return nil, err
	}
	var all []Query
	for _, d := range All() {
		data, err := os.ReadFile(repo.Path(append(slices.Clone(Dir), d.Name+".json")...))
		if err != nil {
			return nil, err
		}
		queries, err := Queries(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
		for _, q := range queries {
			all = append(all, Query{Panel: d.Name + " / " + q.Panel, Expr: q.Expr})
		}
	}
	return all, nil
}
