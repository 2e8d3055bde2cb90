// Package freeport hands out loopback TCP ports for servers a test starts
// as child processes (PostgreSQL, Patroni, etcd, service binaries), which
// bind them a moment later.
//
// A port the kernel picked for a listener on port 0 lies in the ephemeral
// range, the same range every outgoing connection of every process draws
// its local port from: between the pick and the child's bind, another
// test's connection can take it ("Address already in use"). These ports
// come from below that range instead, where only listeners live, starting
// at a place given by the process id so that test binaries running side
// by side start apart, and each is checked free when handed out.
package freeport

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
)

// low is the first port handed out from: above the well-known and most
// registered service ports of a developer's machine.
const low = 20000

var (
	mu   sync.Mutex
	next int // the next candidate; 0 until the first call
	high = ephemeralStart()
)

// ephemeralStart reads where the kernel's ephemeral range begins (Linux;
// the common default elsewhere).
func ephemeralStart() int {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err == nil {
		if f := strings.Fields(string(data)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil && n > low+1000 {
				return n
			}
		}
	}
	return 32768
}

// Pick returns n distinct loopback ports that were free when handed out
// and are never handed out twice by this process.
func Pick(n int) ([]int, error) {
	mu.Lock()
	defer mu.Unlock()
	if next == 0 {
		// A large prime spreads neighbouring process ids far apart.
		next = low + os.Getpid()*7919%(high-low)
	}
	ports := make([]int, 0, n)
	for tries := 0; len(ports) < n; tries++ {
		if tries > high-low {
			return nil, fmt.Errorf("freeport: no free loopback port in %d-%d", low, high-1)
		}
		p := next
		if next++; next >= high {
			next = low
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			continue
		}
		_ = l.Close()
		ports = append(ports, p)
	}
	return ports, nil
}

// One returns a single port (see Pick).
func One() (int, error) {
	p, err := Pick(1)
	if err != nil {
		return 0, err
	}
	return p[0], nil
}

// Addr returns "127.0.0.1:<port>" for a single port (see Pick): an address
// to listen on, or one nothing listens on.
func Addr() (string, error) {
	p, err := One()
	if err != nil {
		return "", err
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(p)), nil
}
