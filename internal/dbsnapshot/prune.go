package dbsnapshot

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/kubeapi"
)

// prune deletes the snapshots toPrune picks among all this agent made in
// ns: every member's count toward one history, since a failover changes
// the leader's PVC. It returns how many were listed and deleted.
func prune(ctx context.Context, k *kubeapi.Client, logger *slog.Logger, ns, snapPath string, keep int) (listed, deleted int, err error) {
	var list struct{ Items []volumeSnapshot }
	if err := k.Do(ctx, http.MethodGet, snapPath+"?labelSelector="+url.QueryEscape(managedBy), nil, &list); err != nil {
		return 0, 0, fmt.Errorf("listing VolumeSnapshots in %s to prune: %w", ns, err)
	}
	infos := make([]snapshotInfo, 0, len(list.Items))
	for _, s := range list.Items {
		info := snapshotInfo{Name: s.Metadata.Name}
		if s.Metadata.CreationTimestamp != nil {
			info.Created = *s.Metadata.CreationTimestamp
		}
		// One already being deleted is no longer a good snapshot to keep.
		info.Ready = s.Status != nil && s.Status.ReadyToUse != nil && *s.Status.ReadyToUse &&
			s.Metadata.DeletionTimestamp == nil
		infos = append(infos, info)
	}
	for _, name := range toPrune(infos, keep) {
		err := k.Do(ctx, http.MethodDelete, snapPath+"/"+url.PathEscape(name), nil, nil)
		if err != nil && !kubeapi.HasStatus(err, http.StatusNotFound) { // 404: already gone
			return len(infos), deleted, fmt.Errorf("deleting VolumeSnapshot %s/%s: %w", ns, name, err)
		}
		deleted++
		logger.InfoContext(ctx, "snapshot deleted", "namespace", ns, "snapshot", name)
	}
	return len(infos), deleted, nil
}

// snapshotInfo is what the prune decision needs of one VolumeSnapshot.
type snapshotInfo struct {
	Name    string
	Created time.Time
	Ready   bool
}

// toPrune returns the names to delete: walking newest first (ties by name,
// so the API's list order does not matter), everything is kept until keep
// ready snapshots have been kept, and everything older is deleted. Unready
// snapshots never count toward keep, so a controller that stops producing
// usable snapshots cannot push the last good ones out, and the newest one,
// just created and not ready yet, is always kept.
func toPrune(snaps []snapshotInfo, keep int) []string {
	sorted := slices.SortedFunc(slices.Values(snaps), func(a, b snapshotInfo) int {
		return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(a.Name, b.Name))
	})
	var del []string
	ready := 0
	for _, s := range sorted {
		if ready >= keep {
			del = append(del, s.Name)
			continue
		}
		if s.Ready {
			ready++
		}
	}
	return del
}
