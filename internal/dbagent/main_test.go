package dbagent

import (
	"os"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

// Role sync needs a real PostgreSQL server; pgtest starts one for the
// package.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
