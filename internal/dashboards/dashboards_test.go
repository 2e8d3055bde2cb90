package dashboards

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Every dashboard renders, twice the same, with a unique uid, the data
// source variable, and panels that each query Prometheus through it; the
// latency panels ask for exemplars (their points link to traces).
func TestDashboardsRender(t *testing.T) {
	uids := map[string]string{}
	for _, d := range All() {
		first, err := Render(d)
		if err != nil {
			t.Fatal(err)
		}
		second, _ := Render(d)
		if !bytes.Equal(first, second) {
			t.Errorf("%s renders differently each time", d.Name)
		}
		var model struct {
			UID        string `json:"uid"`
			Templating struct {
				List []struct{ Name, Type string } `json:"list"`
			} `json:"templating"`
			Panels []struct {
				Title   string `json:"title"`
				Targets []struct {
					Expr       string `json:"expr"`
					Exemplar   bool   `json:"exemplar"`
					Datasource struct {
						UID string `json:"uid"`
					} `json:"datasource"`
				} `json:"targets"`
			} `json:"panels"`
		}
		if err := json.Unmarshal(first, &model); err != nil {
			t.Fatal(err)
		}
		if other, dup := uids[model.UID]; dup {
			t.Errorf("%s and %s share the uid %s", d.Name, other, model.UID)
		}
		uids[model.UID] = d.Name
		if len(model.Templating.List) != 1 || model.Templating.List[0].Type != "datasource" {
			t.Errorf("%s: want the one data source variable, got %+v", d.Name, model.Templating.List)
		}
		if len(model.Panels) < 3 {
			t.Errorf("%s: %d panels", d.Name, len(model.Panels))
		}
		for _, p := range model.Panels {
			for _, q := range p.Targets {
				if q.Datasource.UID != "${datasource}" {
					t.Errorf("%s / %s: data source %q", d.Name, p.Title, q.Datasource.UID)
				}
				if strings.Contains(q.Expr, "histogram_quantile") != q.Exemplar {
					t.Errorf("%s / %s: exemplars %v for %s", d.Name, p.Title, q.Exemplar, q.Expr)
				}
			}
		}
		if _, err := Queries(first); err != nil {
			t.Errorf("%s: %v", d.Name, err)
		}
	}
	if len(uids) < 11 {
		t.Errorf("%d dashboards, want the overview, checkout, SLOs, PostgreSQL, Kubernetes and one per workload", len(uids))
	}
}

// A panel without a query, or with an empty one, is refused: Grafana would
// show it empty.
func TestQueriesRefusesEmptyPanels(t *testing.T) {
	for _, model := range []string{
		`{"panels":[{"title":"nothing","targets":[]}]}`,
		`{"panels":[{"title":"blank","targets":[{"expr":"  "}]}]}`,
	} {
		if _, err := Queries([]byte(model)); err == nil {
			t.Errorf("accepted %s", model)
		}
	}
	got, err := Queries([]byte(`{"panels":[{"title":"rate","targets":[{"expr":"rate(x[$__rate_interval])"}]}]}`))
	if err != nil || len(got) != 1 || ForPrometheus(got[0].Expr, "2m") != "rate(x[2m])" {
		t.Errorf("got %v, %v", got, err)
	}
}
