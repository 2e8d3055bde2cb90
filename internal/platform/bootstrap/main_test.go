package bootstrap_test

import (
	"os"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

// MigrateCommand and OpenDatabase need a real PostgreSQL server; pgtest
// starts one for the package and gives each test its own database.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
