package dbha_test

import (
	"testing"

	"github.com/shipshape-dev/shipshape/internal/freeport"
)

// freePorts returns n distinct loopback TCP ports for etcd, PostgreSQL and
// Patroni's REST API, from outside the ephemeral range (internal/freeport).
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	ports, err := freeport.Pick(n)
	if err != nil {
		t.Fatal(err)
	}
	return ports
}
