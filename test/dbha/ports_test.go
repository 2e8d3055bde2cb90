package dbha_test

import (
	"net"
	"testing"
)

// freePorts returns n distinct loopback TCP ports that were free a moment
// ago. Fixed ports could collide with a concurrent run or the cluster tests'
// etcd on 2379; holding all n listeners at once keeps them distinct.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}
