package bootstrap_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

// fakeConfig stands for a service's Config.
type fakeConfig struct {
	Name  string `env:"SERVICE_TEST_NAME" required:"true"`
	Count int    `env:"SERVICE_TEST_COUNT" default:"3"`
}

func TestServeCommandPassesTheLoadedConfig(t *testing.T) {
	t.Setenv("SERVICE_TEST_NAME", "shop")
	boom := errors.New("boom")
	var got []fakeConfig
	cmd := bootstrap.ServeCommand(func(ctx context.Context, cfg fakeConfig, listening func(listeners.Addrs)) error {
		if listening != nil {
			t.Error("a real process has no listening callback")
		}
		got = append(got, cfg)
		return boom
	})
	if cmd.Name != "serve" || cmd.Usage != "serve gRPC, REST and admin (default)" {
		t.Fatalf("command %q: %q", cmd.Name, cmd.Usage)
	}
	if err := cmd.Run(t.Context(), nil); !errors.Is(err, boom) {
		t.Fatalf("got %v, want serve's own error", err)
	}
	if len(got) != 1 || got[0] != (fakeConfig{Name: "shop", Count: 3}) {
		t.Fatalf("serve got %+v", got)
	}
}

func TestServeCommandConfigErrorNamesTheVariable(t *testing.T) {
	t.Setenv("SERVICE_TEST_NAME", "") // set but empty counts as unset
	cmd := bootstrap.ServeCommand(func(context.Context, fakeConfig, func(listeners.Addrs)) error {
		t.Error("serve ran without a valid configuration")
		return nil
	})
	if err := cmd.Run(t.Context(), nil); err == nil || !strings.Contains(err.Error(), "config: SERVICE_TEST_NAME:") {
		t.Fatalf("got %v, want an error naming SERVICE_TEST_NAME", err)
	}
}

var itemsMigration = fstest.MapFS{"00001_create_items.sql": {Data: []byte(`-- +goose Up
CREATE TABLE items (id bigint PRIMARY KEY);

-- +goose Down
DROP TABLE items;
`)}}

// stderrOf runs f with os.Stderr sent to a file and returns what f wrote
// there (the migrate command prints to the process's stderr).
func stderrOf(t *testing.T, f func()) string {
	t.Helper()
	file, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	orig := os.Stderr
	os.Stderr = file
	func() {
		defer func() { os.Stderr = orig }()
		f()
	}()
	out, err := os.ReadFile(file.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestMigrateCommandAppliesAndReports(t *testing.T) {
	url := pgtest.NewDatabase(t)
	t.Setenv("DATABASE_URL", url)
	cmd := bootstrap.MigrateCommand("shop", itemsMigration)
	if cmd.Name != "migrate" || cmd.Usage != "apply database migrations (safe to run concurrently)" {
		t.Fatalf("command %q: %q", cmd.Name, cmd.Usage)
	}
	for _, want := range []string{"shop migrate: 1 migration(s) applied\n", "shop migrate: 0 migration(s) applied\n"} {
		var err error
		if out := stderrOf(t, func() { err = cmd.Run(t.Context(), nil) }); err != nil || out != want {
			t.Fatalf("got %v and %q, want %q", err, out, want)
		}
	}
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM items`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("items: %d, %v", n, err)
	}
}

func TestMigrateCommandFailures(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	cmd := bootstrap.MigrateCommand("shop", itemsMigration)
	var err error
	if out := stderrOf(t, func() { err = cmd.Run(t.Context(), nil) }); err == nil || !strings.Contains(err.Error(), "config: DATABASE_URL:") || out != "" {
		t.Fatalf("got %v and %q, want an error naming DATABASE_URL and no report", err, out)
	}
	t.Setenv("DATABASE_URL", pgtest.NewDatabase(t))
	broken := fstest.MapFS{"00001_broken.sql": {Data: []byte("-- +goose Up\nALTER TABLE no_such_table ADD COLUMN x int;\n")}}
	cmd = bootstrap.MigrateCommand("shop", broken)
	if out := stderrOf(t, func() { err = cmd.Run(t.Context(), nil) }); err == nil || out != "" {
		t.Fatalf("broken migration: got %v and %q, want an error and no report", err, out)
	}
}
