package loadgen

import (
	"strings"
	"testing"
)

func TestShopMixParses(t *testing.T) {
	m, err := ParseMix(ShopMix)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, j := range m.Journeys {
		names[j.Name] = true
	}
	for _, want := range []string{"browse", "search", "product page", "sign-in", "cart", "checkout"} {
		if !names[want] {
			t.Errorf("the shop mix lacks %q", want)
		}
	}
	if !m.needsUsers() {
		t.Error("the shop mix signs in and checks out: it needs users")
	}
}

func TestParseMixNamesTheBadField(t *testing.T) {
	step := func(s string) string {
		return "journeys:\n  - name: j\n    weight: 1\n    steps:\n      - " + s + "\n"
	}
	for mix, want := range map[string]string{
		"journeys: []": "journeys: at least one",
		"journeys:\n  - {name: j, weight: 0, steps: []}":          "journeys[0] (j).weight: must be positive",
		step("{route: r, method: GET, path: /x}") + "surprise: 1": "field surprise not found",
		step("{route: r, method: FETCH, path: /x}"):               "steps[0].method: \"FETCH\"",
		step("{route: r, method: GET, path: x}"):                  "steps[0].path: \"x\" must start with /",
		step("{route: r, method: GET, path: /x, auth: admin}"):    "steps[0].auth",
		step("{route: r, method: GET, path: '/x/{order.id}'}"):    "unknown placeholder {order.id}",
		step("{route: r, method: GET, path: '/s?q={term}'}"):      "searchTerms",
		step("{method: GET, path: /x}"):                           "steps[0].route: is required",
	} {
		_, err := ParseMix([]byte(mix))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to mention %q", mix, err, want)
		}
	}
}

// The shop mix's anonymous part is its browsing: nothing that signs in.
func TestAnonymousKeepsTheBrowsingJourneys(t *testing.T) {
	m, err := ParseMix(ShopMix)
	if err != nil {
		t.Fatal(err)
	}
	a := m.Anonymous()
	var names []string
	for _, j := range a.Journeys {
		names = append(names, j.Name)
	}
	if got := strings.Join(names, ","); got != "browse,search,product page" {
		t.Errorf("anonymous journeys %s, want browse,search,product page", got)
	}
	if a.needsUsers() || a.validate() != nil || len(a.SearchTerms) == 0 {
		t.Errorf("the anonymous mix needs users, is invalid or lost its search terms: %+v", a)
	}
}
