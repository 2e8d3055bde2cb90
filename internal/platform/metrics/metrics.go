// Package metrics provides the Prometheus registry and RED (rate, errors,
// duration) instrumentation shared by every service.
package metrics

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// NewRegistry returns a fresh registry with Go runtime and process
// collectors. A private registry (rather than the global default) keeps
// tests isolated and the exposed set explicit.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return reg
}

// register registers c, or returns the identical collector already
// registered, so building instrumentation twice against one registry (tests,
// two servers in one process) shares the series instead of panicking.
// Any other registration error is a programming bug and panics.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err)
	}
	return c
}
