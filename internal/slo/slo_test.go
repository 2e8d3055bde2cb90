package slo

import (
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

func api(t *testing.T) routes.API {
	t.Helper()
	a, err := routes.Parse([]byte(`services: {catalog: {port: 8082}, orders: {port: 8084}}
routes:
- {method: GET, path: /api/v1/products, service: catalog, backend: /v1/products, auth: public, journey: browse, limit: default}
- {method: GET, path: "/api/v1/products/{id}", service: catalog, backend: "/v1/products/{id}", auth: public, journey: browse, limit: default}
- {method: POST, path: /api/v1/orders, service: orders, backend: /v1/orders, auth: user, journey: checkout, limit: checkout}
- {method: GET, path: /api/v1/orders, service: orders, backend: /v1/orders, auth: user, journey: account, limit: default}
- {method: PATCH, path: "/api/v1/admin/orders/{id}", service: orders, backend: "/v1/admin/orders/{id}", auth: admin, journey: admin, limit: default}
`))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

const goodSpec = `period: 30d
journeys:
  - {name: browse, availability: 99.9, latency: {threshold: 250ms, target: 99}, probes: 99.5, why: first page}
  - {name: checkout, availability: 99.95, latency: {threshold: 1s, target: 99}, why: money}
  - {name: account, availability: 99.9, latency: {threshold: 500ms, target: 99}, why: sign-in}
pages: {availability: 99.5, latency: {threshold: 500ms, target: 95}, why: pages}
without_slo:
  admin: staff only
`

// goodRules parses goodSpec and builds its rules.
func goodRules(t *testing.T) (Spec, PrometheusRule) {
	t.Helper()
	spec, err := Parse([]byte(goodSpec), api(t))
	if err != nil {
		t.Fatal(err)
	}
	pr, err := Rules(spec, api(t))
	if err != nil {
		t.Fatal(err)
	}
	return spec, pr
}

func TestTheRepositorysSpecIsValid(t *testing.T) {
	// The real files: what make generate reads.
	repo, err := manifestcheck.FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(repo); err != nil {
		t.Fatal(err)
	}
}

func TestMistakesAreNamed(t *testing.T) {
	cases := map[string]string{
		"journey account (gateway/routes.yaml) has no objectives": strings.Replace(goodSpec,
			"  - {name: account, availability: 99.9, latency: {threshold: 500ms, target: 99}, why: sign-in}\n", "", 1),
		"is no bucket bound":       strings.Replace(goodSpec, "threshold: 250ms", "threshold: 300ms", 1),
		"is no duration":           strings.Replace(goodSpec, "threshold: 250ms", "threshold: fast", 1),
		"availability 100 must be": strings.Replace(goodSpec, "availability: 99.9,", "availability: 100,", 1),
		"latency target 0 must be": strings.Replace(goodSpec, "target: 99}, why: money", "target: 0}, why: money", 1),
		"whole number of days":     strings.Replace(goodSpec, "30d", "4w", 1),
		"say why these targets":    strings.Replace(goodSpec, "why: money", "why: ''", 1),
		"no route in gateway/routes.yaml": strings.Replace(goodSpec, "journeys:\n",
			"journeys:\n  - {name: cart, availability: 99, latency: {threshold: 1s, target: 90}, why: x}\n", 1),
		"is listed under without_slo":     goodSpec + "  browse: duplicate\n",
		"say why it has no objectives":    strings.Replace(goodSpec, "admin: staff only", "admin: ''", 1),
		"field colour not found":          goodSpec + "colour: red\n",
		"probes 100 must be":              strings.Replace(goodSpec, "probes: 99.5", "probes: 100", 1),
		"probes -1 must be":               strings.Replace(goodSpec, "probes: 99.5", "probes: -1", 1),
		"pages: availability 100 must be": strings.Replace(goodSpec, "pages: {availability: 99.5", "pages: {availability: 100", 1),
		"pages: latency threshold":        strings.Replace(goodSpec, "threshold: 500ms, target: 95", "threshold: 400ms, target: 95", 1),
		"pages: say why":                  strings.Replace(goodSpec, "why: pages", "why: ''", 1),
		"journey browse: defined twice":   strings.Replace(goodSpec, "journeys:\n", "journeys:\n  - {name: browse, availability: 99, latency: {threshold: 1s, target: 90}, why: x}\n", 1),
	}
	for want, spec := range cases {
		_, err := Parse([]byte(spec), api(t))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", want, err)
		}
	}
}

func TestSelectorsFollowTheRoutesByMethod(t *testing.T) {
	got := selectors(api(t), "browse")
	want := []string{`service="gateway",method="GET",route=~"/api/v1/products|/api/v1/products/:id"`}
	if strings.Join(got, ";") != strings.Join(want, ";") {
		t.Errorf("browse: got %v, want %v", got, want)
	}
	// GET /api/v1/orders is the account's, POST the checkout's.
	if got := selectors(api(t), "checkout"); len(got) != 1 || !strings.Contains(got[0], `method="POST",route=~"/api/v1/orders"`) {
		t.Errorf("checkout: got %v", got)
	}
}

func TestBurnThresholdsAreTheWorkbooksAtThirtyDays(t *testing.T) {
	spec, pr := goodRules(t)
	var burns []Rule
	for _, g := range pr.Spec.Groups {
		if g.Name == "slo-burn-rates" {
			burns = g.Rules
		}
	}
	if len(burns) != 2*len(spec.Objectives()) {
		t.Fatalf("%d burn alerts for %d objectives", len(burns), len(spec.Objectives()))
	}
	// checkout availability allows 0.05%: 14.4x, 6x, 3x and 1x of it.
	for _, want := range []string{
		`shipshape:slo_errors:ratio_rate1h{slo="checkout-availability"} > 0.0072`,
		`shipshape:slo_errors:ratio_rate5m{slo="checkout-availability"} > 0.0072`,
		`shipshape:slo_errors:ratio_rate6h{slo="checkout-availability"} > 0.003`,
		`shipshape:slo_errors:ratio_rate1d{slo="checkout-availability"} > 0.0015`,
		`shipshape:slo_errors:ratio_rate3d{slo="checkout-availability"} > 0.0005`,
		`shipshape:slo_errors:ratio_rate6h{slo="checkout-availability"} > 0.0005`,
	} {
		found := false
		for _, r := range burns {
			found = found || strings.Contains(r.Expr, want)
		}
		if !found {
			t.Errorf("no burn condition %s", want)
		}
	}
}

// TestProbesAreTheirOwnObjective: a journey with probes gets an SLO on the
// share of its synthetic probes that failed, from every probe result in
// the window, and its alerts speak of probes; a journey without gets none.
func TestProbesAreTheirOwnObjective(t *testing.T) {
	_, pr := goodRules(t)
	groups := map[string]Group{}
	for _, g := range pr.Spec.Groups {
		groups[g.Name] = g
	}
	if _, ok := groups["slo-checkout-probes"]; ok {
		t.Error("checkout has no probes, yet an objective on them")
	}
	g, ok := groups["slo-browse-probes"]
	if !ok {
		t.Fatalf("no group slo-browse-probes in %v", pr.Spec.Groups)
	}
	want := `sum by (namespace) (sum_over_time(probe_success{journey="browse"}[5m]))
/
  sum by (namespace) (count_over_time(probe_success{journey="browse"}[5m]))`
	if !strings.Contains(g.Rules[0].Expr, want) {
		t.Errorf("the 5m ratio is\n%s\nwant it to hold\n%s", g.Rules[0].Expr, want)
	}
	var summary string
	for _, r := range groups["slo-burn-rates"].Rules {
		if r.Labels["slo"] == "browse-probes" && r.Labels["severity"] == "critical" {
			summary = r.Annotations["summary"]
		}
	}
	if !strings.Contains(summary, "of synthetic probes fail it") || !strings.Contains(summary, "(99.5%)") {
		t.Errorf("browse-probes' page says %q", summary)
	}
}

// TestPagesAreTheStorefrontsObjectives: the pages' SLOs count the
// storefront's own page requests, not the gateway's routes, leaving its
// static assets and unmatched paths aside.
func TestPagesAreTheStorefrontsObjectives(t *testing.T) {
	_, pr := goodRules(t)
	var found int
	for _, g := range pr.Spec.Groups {
		if !strings.HasPrefix(g.Name, "slo-storefront-") {
			continue
		}
		found++
		expr := g.Rules[0].Expr
		if !strings.Contains(expr, `service="web",route!~"/_next/static|unmatched"`) || strings.Contains(expr, `service="gateway"`) {
			t.Errorf("%s counts %s", g.Name, expr)
		}
	}
	if found != 2 {
		t.Errorf("%d storefront objectives, want availability and latency", found)
	}
}
