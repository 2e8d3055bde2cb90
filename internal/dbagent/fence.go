package dbagent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
)

// fence keeps the postgres Service on the member that holds Patroni's
// leader lock. Patroni labels only its own pod: a leader whose node is
// lost keeps its leader label, and the Service (which selects that label)
// keeps sending new connections to the dead address until the node
// controller marks the pod not ready, 40 s or more after the loss. The
// member that holds the lock takes the label off every other member's pod
// as soon as it sees the lock is its own. A former leader that is alive
// and reaches the API server has demoted itself by then (it lost the lock)
// and would relabel its pod as a replica anyway.
type fence struct {
	client func() (*kubeapi.Client, error)
	nsPath string // /api/v1/namespaces/<ns>
	member string // this pod
	lock   string // Patroni's leader ConfigMap
	// selector finds the members carrying the leader label key=value.
	selector, key, value string

	log     *slog.Logger
	removed prometheus.Counter
	lastErr string // as last logged, "" after a pass without error
}

func newFence(cfg Config, logger *slog.Logger, m *metrics) (*fence, error) {
	if cfg.Member == "" {
		return nil, nil // not in a pod: nothing to fence
	}
	ns, err := kubeapi.Namespace(cfg.NamespaceFile)
	if err != nil {
		return nil, err
	}
	key, value, _ := strings.Cut(cfg.LeaderLabel, "=") // checked by Validate
	return &fence{
		client: renewingClient(kubeapi.Config(cfg.API), time.Minute),
		nsPath: "/api/v1/namespaces/" + url.PathEscape(ns),
		member: cfg.Member, lock: cfg.LeaderLock,
		selector: cfg.MembersSelector + "," + cfg.LeaderLabel, key: key, value: value,
		log: logger, removed: m.leaderLabelsRemoved,
	}, nil
}

// check is one pass of the fence's loop. Each removal is logged; an error
// only when it differs from the last, so an unreachable API server does not
// log every pass.
func (f *fence) check(ctx context.Context) {
	fenced, err := f.run(ctx)
	if ctx.Err() != nil {
		return
	}
	for _, pod := range fenced {
		f.removed.Inc()
		f.log.Warn("took the leader label off a member that no longer holds the lock (its node lost or hung?): the postgres Service no longer sends it connections",
			"pod", pod, "leader", f.member)
	}
	status := ""
	if err != nil {
		status = err.Error()
	}
	if status != f.lastErr {
		if err != nil {
			f.log.Warn("leader-label fence: cannot check or fix the other members' labels", "error", err)
		} else {
			f.log.Info("leader-label fence: working again")
		}
		f.lastErr = status
	}
}

// renewingClient makes a new API client when the last one is older than
// every: the projected token it read rotates.
func renewingClient(cfg kubeapi.Config, every time.Duration) func() (*kubeapi.Client, error) {
	var c *kubeapi.Client
	var made time.Time
	return func() (*kubeapi.Client, error) {
		if c == nil || time.Since(made) > every {
			fresh, err := kubeapi.New(cfg)
			if err != nil {
				return nil, err
			}
			c, made = fresh, time.Now()
		}
		return c, nil
	}
}

// run removes the leader label from every other member's pod while the
// lock names this member, and returns the pods it took it from.
func (f *fence) run(ctx context.Context) ([]string, error) {
	k, err := f.client()
	if err != nil {
		return nil, err
	}
	var lock struct {
		Metadata struct {
			Annotations map[string]string `json:"annotations"`
		} `json:"metadata"`
	}
	if err := k.Do(ctx, http.MethodGet, f.nsPath+"/configmaps/"+url.PathEscape(f.lock), nil, &lock); err != nil {
		if kubeapi.HasStatus(err, http.StatusNotFound) {
			return nil, nil // no leader yet
		}
		return nil, fmt.Errorf("reading the leader lock %s: %w", f.lock, err)
	}
	if lock.Metadata.Annotations["leader"] != f.member {
		return nil, nil
	}
	var pods struct {
		Items []struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		} `json:"items"`
	}
	if err := k.Do(ctx, http.MethodGet, f.nsPath+"/pods?labelSelector="+url.QueryEscape(f.selector), nil, &pods); err != nil {
		return nil, fmt.Errorf("listing the pods labelled %s: %w", f.selector, err)
	}
	label := "/metadata/labels/" + kubeapi.PointerEscape(f.key)
	var fenced []string
	var errs []error
	for _, p := range pods.Items {
		name := p.Metadata.Name
		if name == f.member {
			continue
		}
		// Only if the label still says leader: the test fails (422) once
		// that member relabelled itself, and a deleted pod is 404.
		err := k.JSONPatch(ctx, f.nsPath+"/pods/"+url.PathEscape(name), []kubeapi.PatchOp{
			{Op: "test", Path: label, Value: f.value},
			{Op: "remove", Path: label},
		})
		switch {
		case err == nil:
			fenced = append(fenced, name)
		case kubeapi.HasStatus(err, http.StatusUnprocessableEntity), kubeapi.HasStatus(err, http.StatusNotFound):
		default:
			errs = append(errs, fmt.Errorf("removing %s's leader label: %w", name, err))
		}
	}
	return fenced, errors.Join(errs...)
}
