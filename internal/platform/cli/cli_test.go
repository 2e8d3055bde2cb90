package cli_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/cli"
)

// recorder is a command that remembers how it was called.
type recorder struct {
	ran  bool
	args []string
	err  error
}

func (r *recorder) command(name string) cli.Command {
	return cli.Command{Name: name, Usage: "does " + name, Run: func(ctx context.Context, args []string) error {
		if ctx.Err() != nil {
			return errors.New("context already done")
		}
		r.ran, r.args = true, args
		return r.err
	}}
}

func TestMainSuccess(t *testing.T) {
	var serve, migrate recorder
	var stderr bytes.Buffer
	code := cli.Main("catalog", []string{"migrate", "--dry-run", "x"}, &stderr, serve.command("serve"), migrate.command("migrate"))
	if code != 0 || stderr.Len() != 0 {
		t.Fatalf("code %d, stderr %q", code, stderr.String())
	}
	if serve.ran || !migrate.ran || !slices.Equal(migrate.args, []string{"--dry-run", "x"}) {
		t.Fatalf("serve ran %v, migrate ran %v with %q", serve.ran, migrate.ran, migrate.args)
	}
}

func TestMainDefaultsToServe(t *testing.T) {
	var serve, migrate recorder
	var stderr bytes.Buffer
	if code := cli.Main("catalog", nil, &stderr, migrate.command("migrate"), serve.command("serve")); code != 0 {
		t.Fatalf("code %d, stderr %q", code, stderr.String())
	}
	if !serve.ran || migrate.ran || len(serve.args) != 0 {
		t.Fatalf("serve ran %v (args %q), migrate ran %v", serve.ran, serve.args, migrate.ran)
	}
}

func TestMainFailure(t *testing.T) {
	seed := recorder{err: errors.New("no database")}
	var stderr bytes.Buffer
	if code := cli.Main("catalog", []string{"seed"}, &stderr, seed.command("seed")); code != 1 {
		t.Fatalf("code %d, want 1", code)
	}
	if got := stderr.String(); got != "catalog seed: no database\n" {
		t.Fatalf("stderr %q", got)
	}
}

func TestMainUnknownCommand(t *testing.T) {
	var serve, migrate recorder
	var stderr bytes.Buffer
	code := cli.Main("catalog", []string{"frobnicate"}, &stderr, serve.command("serve"), migrate.command("migrate"))
	if code != 2 {
		t.Fatalf("code %d, want 2", code)
	}
	out := stderr.String()
	if !strings.Contains(out, "usage: catalog <command>") || !strings.Contains(out, "does serve") || !strings.Contains(out, "does migrate") {
		t.Fatalf("usage missing: %q", out)
	}
	if serve.ran || migrate.ran {
		t.Fatal("a command ran")
	}
}

func TestMainHelp(t *testing.T) {
	for _, arg := range []string{"help", "-h", "--help"} {
		var serve recorder
		var stderr bytes.Buffer
		if code := cli.Main("catalog", []string{arg}, &stderr, serve.command("serve")); code != 0 {
			t.Errorf("%s: code %d, want 0", arg, code)
		}
		if !strings.Contains(stderr.String(), "usage: catalog") || serve.ran {
			t.Errorf("%s: stderr %q, serve ran %v", arg, stderr.String(), serve.ran)
		}
	}
}
