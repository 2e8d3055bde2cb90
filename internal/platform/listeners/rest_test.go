package listeners

import "testing"

func TestLoopback(t *testing.T) {
	for in, want := range map[string]string{
		":9090":          "127.0.0.1:9090",
		"0.0.0.0:1":      "127.0.0.1:1",
		"[::]:1":         "127.0.0.1:1",
		"10.1.2.3:9090":  "10.1.2.3:9090",
		"grpc.local:443": "grpc.local:443",
		"[::1]:9090":     "[::1]:9090",
	} {
		if got := loopback(in); got != want {
			t.Errorf("loopback(%q) = %q, want %q", in, got, want)
		}
	}
}
