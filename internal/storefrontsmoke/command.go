package storefrontsmoke

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// Config is the journey's configuration, from the environment.
type Config struct {
	// BaseURL is the storefront to walk, e.g. its preview Service.
	BaseURL string `env:"SMOKE_BASE_URL" required:"true"`
	// Timeout bounds each page load; a slower page counts as failed.
	Timeout time.Duration `env:"SMOKE_PAGE_TIMEOUT" default:"10s"`
	// ReadyWait bounds the wait for the storefront's readiness before the
	// journey (AwaitReady); a storefront not ready by then fails it.
	ReadyWait time.Duration `env:"SMOKE_READY_WAIT" default:"60s"`
}

// Validate reports every bad setting by its variable name.
func (c Config) Validate() error {
	u, err := url.Parse(c.BaseURL)
	// unset is the required tag's error
	if c.BaseURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		return config.Errorf("SMOKE_BASE_URL", "must be the storefront's http(s) URL, got %q", c.BaseURL)
	}
	if c.Timeout <= 0 {
		return config.Errorf("SMOKE_PAGE_TIMEOUT", "must be positive, got %s", c.Timeout)
	}
	if c.ReadyWait < 0 {
		return config.Errorf("SMOKE_READY_WAIT", "must not be negative, got %s", c.ReadyWait)
	}
	return nil
}

// Command is the binary's one command: walk the journey once, print every
// load, fail when one failed.
func Command() cli.Command {
	return cli.Command{Name: "run", Usage: "walk the storefront at SMOKE_BASE_URL once; exit 1 when a page failed", Run: func(ctx context.Context, args []string) error {
		if len(args) > 0 {
			return fmt.Errorf("unexpected arguments %q (configure with SMOKE_* variables)", args)
		}
		var cfg Config
		if err := config.Load(&cfg); err != nil {
			return err
		}
		return Walk(ctx, cfg, os.Stdout)
	}}
}

// Walk runs the journey with cfg and writes one line per load to out.
func Walk(ctx context.Context, cfg Config, out io.Writer) error {
	// Redirects are followed (at most 10) as a browser does; no cookies.
	j := Journey{Base: cfg.BaseURL, Client: &http.Client{Timeout: cfg.Timeout}}
	if err := j.AwaitReady(ctx, cfg.ReadyWait); err != nil {
		return err
	}
	loads := j.Run(ctx)
	for _, l := range loads {
		verdict := "ok  "
		if l.Err != nil {
			verdict = "FAIL"
		}
		fmt.Fprintf(out, "%s %3d %6dms %s", verdict, l.Status, l.Duration.Milliseconds(), l.Path)
		if l.Err != nil {
			fmt.Fprintf(out, ": %v", l.Err)
		}
		fmt.Fprintln(out)
	}
	if n := Failed(loads); n > 0 {
		return fmt.Errorf("%d of %d page loads failed at %s", n, len(loads), cfg.BaseURL)
	}
	fmt.Fprintf(out, "%d page loads at %s, none failed\n", len(loads), cfg.BaseURL)
	return nil
}
