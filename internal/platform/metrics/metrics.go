// Package metrics provides the Prometheus registry and RED (rate, errors,
// duration) instrumentation shared by every service.
package metrics

import (
	"errors"
	"regexp"

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

// Names lists the metric names every service exports: the RED
// instrumentation (NewHTTPServer, NewGRPCServer), the database pool
// (RegisterPool) and the process (NewRegistry's collectors), read from the
// collectors' own descriptors, so that checks of alert rules and dashboards
// follow the code rather than a hand-kept list. Histograms appear under
// their base name.
func Names() []string {
	d := &describer{}
	NewHTTPServer(d)
	NewGRPCServer(d)
	_ = RegisterPool(d, nil) // describing never reads the pool
	d.MustRegister(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return d.names
}

// describer is a Registerer that only records the names its collectors
// describe.
type describer struct{ names []string }

var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

func (d *describer) Register(c prometheus.Collector) error {
	ch := make(chan *prometheus.Desc)
	go func() {
		c.Describe(ch)
		close(ch)
	}()
	for desc := range ch {
		if m := fqName.FindStringSubmatch(desc.String()); m != nil {
			d.names = append(d.names, m[1])
		}
	}
	return nil
}

func (d *describer) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		_ = d.Register(c)
	}
}

func (d *describer) Unregister(prometheus.Collector) bool { return false }
