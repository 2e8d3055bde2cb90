package dbagent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckRoleName(t *testing.T) {
	for _, ok := range []string{"identity", "catalog", "cart", "orders", "a", "svc_2"} {
		if err := checkRoleName(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Identity", "2cart", "_orders", "cart-db", "cart db", `a"b`, "a;b", "pg_monitor",
		"ümlaut", strings.Repeat("a", 64)} {
		if err := checkRoleName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := checkRoleName(strings.Repeat("a", 63)); err != nil {
		t.Errorf("63 bytes refused: %v", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The layout of a Kubernetes projected volume: the visible names are
// symlinks into ..data, itself a symlink to a timestamped directory.
func TestReadPasswordsFromAProjectedVolume(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "..2025_06_01_12_00_00.123", "identity"), "id-secret\n")
	writeFile(t, filepath.Join(dir, "..2025_06_01_12_00_00.123", "catalog"), "cat-secret")
	writeFile(t, filepath.Join(dir, "..2025_06_01_12_00_00.123", "cart"), "two newlines\n\n")
	for _, link := range [][2]string{
		{"..2025_06_01_12_00_00.123", "..data"},
		{"..data/identity", "identity"},
		{"..data/catalog", "catalog"},
		{"..data/cart", "cart"},
	} {
		if err := os.Symlink(link[0], filepath.Join(dir, link[1])); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(dir, ".hidden"), "x")
	writeFile(t, filepath.Join(dir, "orders", "nested"), "a directory is not a role") // orders is a directory

	roles, err := readPasswords(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []role{{"cart", "two newlines\n"}, {"catalog", "cat-secret"}, {"identity", "id-secret"}}
	if len(roles) != len(want) {
		t.Fatalf("got %v, want %v", roles, want)
	}
	for i := range want {
		if roles[i] != want[i] {
			t.Errorf("role %d: got %q, want %q", i, roles[i], want[i])
		}
	}
}

func TestReadPasswordsRefusesBadFilesButKeepsTheGoodOnes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "identity"), "ok\n")
	writeFile(t, filepath.Join(dir, "Bad-Name"), "secret-of-bad-name\n")
	writeFile(t, filepath.Join(dir, "empty"), "\n")
	writeFile(t, filepath.Join(dir, "nul"), "a\x00b")
	writeFile(t, filepath.Join(dir, "latin1"), "caf\xe9")

	roles, err := readPasswords(dir)
	if len(roles) != 1 || roles[0] != (role{"identity", "ok"}) {
		t.Errorf("good roles: got %q, want just identity", roles)
	}
	if err == nil {
		t.Fatal("no error for the bad files")
	}
	for _, name := range []string{`"Bad-Name"`, "empty: empty password", "nul: password contains a NUL", "latin1: password is not valid UTF-8"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not mention %s: %v", name, err)
		}
	}
	if strings.Contains(err.Error(), "secret-of-bad-name") {
		t.Errorf("error carries a password: %v", err)
	}
}

func TestReadPasswordsMissingDir(t *testing.T) {
	if _, err := readPasswords(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("no error for a missing directory")
	}
}

func TestFingerprintChangesWithAnyPassword(t *testing.T) {
	a := fingerprint([]role{{"cart", "x"}, {"identity", "y"}})
	if a != fingerprint([]role{{"cart", "x"}, {"identity", "y"}}) {
		t.Fatal("same set, different fingerprint")
	}
	for _, other := range [][]role{
		{{"cart", "x"}, {"identity", "z"}},
		{{"cart", "x"}},
		{{"cartx", ""}, {"identity", "y"}}, // same bytes, split differently
	} {
		if fingerprint(other) == a {
			t.Errorf("%q has the same fingerprint", other)
		}
	}
}

func TestQuoteLiteral(t *testing.T) {
	if got, want := quoteLiteral(`it's a \ back'slash`), `'it''s a \ back''slash'`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}
