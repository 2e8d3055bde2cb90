package bootstrap_test

import (
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

func TestCommonValidate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		c        bootstrap.Common
		variable string // "" means valid
	}{
		{"defaults", bootstrap.Common{LogLevel: "info", TraceSampleRatio: 1}, ""},
		{"bounds", bootstrap.Common{LogLevel: "DEBUG", TraceSampleRatio: 0}, ""},
		{"bad level", bootstrap.Common{LogLevel: "loud", TraceSampleRatio: 1}, "LOG_LEVEL"},
		{"empty level", bootstrap.Common{TraceSampleRatio: 1}, "LOG_LEVEL"},
		{"ratio above 1", bootstrap.Common{LogLevel: "info", TraceSampleRatio: 1.5}, "TRACE_SAMPLE_RATIO"},
		{"negative ratio", bootstrap.Common{LogLevel: "warn", TraceSampleRatio: -0.1}, "TRACE_SAMPLE_RATIO"},
	} {
		err := tc.c.Validate()
		switch {
		case tc.variable == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tc.name, err)
		case tc.variable != "" && (err == nil || !strings.Contains(err.Error(), tc.variable)):
			t.Errorf("%s: got %v, want an error naming %s", tc.name, err, tc.variable)
		}
	}
}

func TestCommonDefaultsLoadAndValidate(t *testing.T) {
	var c bootstrap.Common
	if err := config.LoadFrom(func(string) (string, bool) { return "", false }, &c); err != nil {
		t.Fatal(err)
	}
	if c.LogLevel != "info" || c.TraceSampleRatio != 1 {
		t.Fatalf("defaults %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}
