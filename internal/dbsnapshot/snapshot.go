package dbsnapshot

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
)

const (
	managedBy       = "app.kubernetes.io/managed-by=dbagent"
	snapshotsPath   = "/apis/snapshot.storage.k8s.io/v1/namespaces/%s/volumesnapshots"
	labelSnapshotOf = "shipshape.dev/snapshot-of"
	annotLeaderPod  = "shipshape.dev/leader-pod"
)

// meta is the part of ObjectMeta this package reads or writes.
type meta struct {
	Name              string            `json:"name"`
	Labels            map[string]string `json:"labels,omitempty"`
	Annotations       map[string]string `json:"annotations,omitempty"`
	CreationTimestamp *time.Time        `json:"creationTimestamp,omitempty"`
	DeletionTimestamp *time.Time        `json:"deletionTimestamp,omitempty"`
}

type podList struct {
	Items []struct {
		Metadata meta `json:"metadata"`
		Status   struct {
			Phase string `json:"phase"`
		} `json:"status"`
	} `json:"items"`
}

type pvc struct {
	Status struct {
		Phase string `json:"phase"`
	} `json:"status"`
}

type volumeSnapshot struct {
	APIVersion string   `json:"apiVersion,omitempty"`
	Kind       string   `json:"kind,omitempty"`
	Metadata   meta     `json:"metadata"`
	Spec       snapSpec `json:"spec"`
	Status     *struct {
		ReadyToUse *bool `json:"readyToUse"`
	} `json:"status,omitempty"`
}

type snapSpec struct {
	VolumeSnapshotClassName string `json:"volumeSnapshotClassName,omitempty"`
	Source                  struct {
		PersistentVolumeClaimName string `json:"persistentVolumeClaimName,omitempty"`
	} `json:"source"`
}

// Run takes one snapshot of the leader's data volume and prunes old ones.
func Run(ctx context.Context, cfg Config, logger *slog.Logger) error {
	return run(ctx, cfg, logger, time.Now())
}

// run is Run at a given time, so tests know the snapshot's name.
func run(ctx context.Context, cfg Config, logger *slog.Logger, now time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	ns, err := cfg.namespace()
	if err != nil {
		return err
	}
	k, err := kubeapi.New(cfg.API)
	if err != nil {
		return err
	}
	nsPath := "/api/v1/namespaces/" + url.PathEscape(ns)
	snapPath := fmt.Sprintf(snapshotsPath, url.PathEscape(ns))

	pod, err := findLeader(ctx, k, nsPath, cfg.LeaderSelector)
	if err != nil {
		return err
	}

	claim := cfg.ClaimTemplate + "-" + pod
	var c pvc
	if err := k.Do(ctx, http.MethodGet, nsPath+"/persistentvolumeclaims/"+url.PathEscape(claim), nil, &c); err != nil {
		return fmt.Errorf("getting PVC %s/%s of leader %s: %w", ns, claim, pod, err)
	}
	if c.Status.Phase != "Bound" {
		return fmt.Errorf("PVC %s/%s of leader %s is %q, not Bound", ns, claim, pod, c.Status.Phase)
	}

	snap := volumeSnapshot{
		APIVersion: "snapshot.storage.k8s.io/v1",
		Kind:       "VolumeSnapshot",
		Metadata: meta{
			Name: claim + "-" + now.UTC().Format("20060102-150405"),
			Labels: map[string]string{
				"app.kubernetes.io/name":       "postgres",
				"app.kubernetes.io/managed-by": "dbagent",
				labelSnapshotOf:                claim,
			},
			Annotations: map[string]string{annotLeaderPod: pod},
		},
	}
	snap.Spec.VolumeSnapshotClassName = cfg.Class
	snap.Spec.Source.PersistentVolumeClaimName = claim
	err = k.Do(ctx, http.MethodPost, snapPath, snap, nil)
	// 409: a retried run within the same second already created it.
	if err != nil && !kubeapi.HasStatus(err, http.StatusConflict) {
		return fmt.Errorf("creating VolumeSnapshot %s/%s of PVC %s: %w", ns, snap.Metadata.Name, claim, err)
	}
	logger.InfoContext(ctx, "snapshot created", "namespace", ns, "snapshot", snap.Metadata.Name,
		"pvc", claim, "leader_pod", pod, "already_existed", err != nil)

	listed, deleted, err := prune(ctx, k, logger, ns, snapPath, cfg.Keep)
	if err != nil {
		return err
	}
	logger.InfoContext(ctx, "snapshot run done", "namespace", ns, "snapshot", snap.Metadata.Name,
		"leader_pod", pod, "snapshots_listed", listed, "deleted", deleted, "keep_ready", cfg.Keep)
	return nil
}

// findLeader returns the name of the one running, not terminating pod that
// matches selector. Zero or several is an error: a snapshot of the wrong
// member would be worse than none.
func findLeader(ctx context.Context, k *kubeapi.Client, nsPath, selector string) (string, error) {
	var pods podList
	if err := k.Do(ctx, http.MethodGet, nsPath+"/pods?labelSelector="+url.QueryEscape(selector), nil, &pods); err != nil {
		return "", fmt.Errorf("listing leader pods (%s): %w", selector, err)
	}
	var running, skipped []string
	for _, p := range pods.Items {
		switch {
		case p.Metadata.DeletionTimestamp != nil:
			skipped = append(skipped, p.Metadata.Name+" (terminating)")
		case p.Status.Phase != "Running":
			skipped = append(skipped, fmt.Sprintf("%s (%s)", p.Metadata.Name, p.Status.Phase))
		default:
			running = append(running, p.Metadata.Name)
		}
	}
	if len(running) == 1 {
		return running[0], nil
	}
	msg := fmt.Sprintf("want exactly 1 running leader pod matching %q, found %d", selector, len(running))
	if len(running) > 0 {
		msg += ": " + strings.Join(running, ", ")
	}
	if len(skipped) > 0 {
		msg += "; not counted: " + strings.Join(skipped, ", ")
	}
	return "", fmt.Errorf("%s; no snapshot taken", msg)
}
