package grpcclient

import (
	"sync"
	"time"

	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/dns"
)

// MinResolutionInterval is how soon a client may ask DNS again after the
// last answer. gRPC's default of 30 s means that once every pod of a
// headless Service has been replaced (a rollout of a small Deployment, a
// deleted pod), calls fail for up to 30 s while the client still dials the
// old addresses; the cluster tests found exactly that.
const MinResolutionInterval = time.Second

// ResolveEvery is how often a "dns:///" target is resolved again even when
// nothing broke. gRPC's DNS resolver otherwise asks only when a connection
// fails, so a new pod (a scale-up, the surge pod of a rollout) would get no
// calls until an old connection breaks. Deployments that serve gRPC set
// minReadySeconds above ResolveEvery plus the DNS TTL, so clients know a new
// pod before an old one stops serving.
const ResolveEvery = 5 * time.Second

func init() {
	// A process-wide setting of the DNS resolver, allowed only at init time.
	dns.SetMinResolutionInterval(MinResolutionInterval)
}

// pollingBuilder builds its inner resolver and asks it to resolve again
// every interval.
type pollingBuilder struct {
	inner resolver.Builder
	every time.Duration
}

func (b pollingBuilder) Scheme() string { return b.inner.Scheme() }

func (b pollingBuilder) Build(t resolver.Target, cc resolver.ClientConn, o resolver.BuildOptions) (resolver.Resolver, error) {
	r, err := b.inner.Build(t, cc, o)
	if err != nil {
		return nil, err
	}
	p := &pollingResolver{Resolver: r, stop: make(chan struct{})}
	go p.poll(b.every)
	return p, nil
}

type pollingResolver struct {
	resolver.Resolver
	stop chan struct{}
	once sync.Once
}

func (p *pollingResolver) poll(every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
			p.ResolveNow(resolver.ResolveNowOptions{})
		}
	}
}

func (p *pollingResolver) Close() {
	p.once.Do(func() { close(p.stop) })
	p.Resolver.Close()
}
