//go:build cluster

package cluster_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// grants are what each service account of the namespace may do there,
// beyond what every authenticated identity may (discovery, reviews of
// itself): "resource | names | verbs" as `kubectl auth can-i --list`
// prints them. A new account, or a new grant, is added here on purpose.
var grants = map[string][]string{
	"cart": nil, "catalog": nil, "default": nil, "gateway": nil, "identity": nil, "orders": nil, "web": nil,
	// Patroni keeps its state in four ConfigMaps and labels the members
	"postgres": {
		"configmaps | [] | [list watch create]",
		"configmaps | [shipshape-config] | [get patch]",
		"configmaps | [shipshape-failover] | [get patch]",
		"configmaps | [shipshape-leader] | [get patch]",
		"configmaps | [shipshape-sync] | [get patch]",
		"pods | [] | [list watch]",
		"pods | [postgres-0] | [get patch]",
		"pods | [postgres-1] | [get patch]",
		"pods | [postgres-2] | [get patch]",
	},
	// the nightly snapshot of the leader's volume
	"postgres-snapshot": {
		"persistentvolumeclaims | [data-postgres-0] | [get]",
		"persistentvolumeclaims | [data-postgres-1] | [get]",
		"persistentvolumeclaims | [data-postgres-2] | [get]",
		"pods | [] | [list]",
		"volumesnapshots.snapshot.storage.k8s.io | [] | [list create delete]",
	},
}

var columns = regexp.MustCompile(`\s{2,}`)

// canI is the resource rows of `kubectl auth can-i --list` for a service
// account of the namespace, as "resource | names | verbs".
func canI(t *testing.T, account string) []string {
	t.Helper()
	out := kubectl(t, "auth", "can-i", "--list", "--as=system:serviceaccount:"+namespace+":"+account)
	var rows []string
	for i, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if i == 0 || strings.HasPrefix(line, " ") {
			continue // the header, and non-resource URLs
		}
		f := columns.Split(strings.TrimSpace(line), -1)
		if len(f) != 4 {
			t.Fatalf("unexpected can-i row %q", line)
		}
		rows = append(rows, f[0]+" | "+f[2]+" | "+f[3])
	}
	slices.Sort(rows)
	return rows
}

// TestServiceAccountsHaveExactlyTheirGrants: every service account in the
// namespace can do exactly what the table says, and nothing more, as the
// API server's authorizer answers for it (least privilege, issue 19).
func TestServiceAccountsHaveExactlyTheirGrants(t *testing.T) {
	// What any service account may do: an account that no binding names.
	baseline := canI(t, "no-such-account")
	accounts := strings.Fields(kubectl(t, "get", "serviceaccounts", "-o", "jsonpath={.items[*].metadata.name}"))
	for _, a := range accounts {
		if _, ok := grants[a]; !ok {
			t.Errorf("service account %s is not in the table of grants", a)
		}
	}
	for account, want := range grants {
		if !slices.Contains(accounts, account) {
			t.Errorf("service account %s of the table does not exist", account)
			continue
		}
		var got []string
		for _, row := range canI(t, account) {
			if !slices.Contains(baseline, row) {
				got = append(got, row)
			}
		}
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("%s may do\n  %s\nwant\n  %s", account, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	}
	if len(baseline) == 0 || len(baseline) > 6 {
		t.Errorf("an account no binding names may do %d things: %v", len(baseline), baseline)
	}
}
