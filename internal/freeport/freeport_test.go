package freeport

import (
	"net"
	"strconv"
	"testing"
)

func TestPortsAreDistinctBindableAndBelowTheEphemeralRange(t *testing.T) {
	seen := map[int]bool{}
	for range 50 {
		ports, err := Pick(3)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ports {
			if seen[p] {
				t.Fatalf("port %d handed out twice", p)
			}
			seen[p] = true
			if p < low || p >= high {
				t.Fatalf("port %d outside %d-%d", p, low, high-1)
			}
		}
	}
	p, err := One()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
	if err != nil {
		t.Fatalf("the port handed out cannot be bound: %v", err)
	}
	l.Close()
}

func TestABusyPortIsSkipped(t *testing.T) {
	held, err := One()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(held))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// Make the held port the next candidate: Pick must step over it.
	mu.Lock()
	next = held
	mu.Unlock()
	q, err := One()
	if err != nil {
		t.Fatal(err)
	}
	if q == held {
		t.Fatalf("got the busy port %d", q)
	}
}
