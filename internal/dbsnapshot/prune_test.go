package dbsnapshot

import (
	"slices"
	"testing"
	"time"
)

func TestToPrune(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }
	ready := func(name string, n int) snapshotInfo { return snapshotInfo{name, day(n), true} }
	unready := func(name string, n int) snapshotInfo { return snapshotInfo{name, day(n), false} }

	for _, tc := range []struct {
		name  string
		snaps []snapshotInfo
		keep  int
		want  []string
	}{
		{"empty", nil, 3, nil},
		{"fewer than keep", []snapshotInfo{ready("a", 1), ready("b", 2)}, 3, nil},
		{"exactly keep", []snapshotInfo{ready("a", 1), ready("b", 2), ready("c", 3)}, 3, nil},
		{"older than keep ready are deleted, in any list order",
			[]snapshotInfo{ready("b", 2), ready("d", 4), ready("a", 1), ready("c", 3)}, 2, []string{"b", "a"}},
		{"new unready is kept on top of keep ready",
			[]snapshotInfo{unready("new", 5), ready("a", 1), ready("b", 2), ready("c", 3)}, 2, []string{"a"}},
		{"all unready: nothing deleted",
			[]snapshotInfo{unready("a", 1), unready("b", 2), unready("c", 3)}, 1, nil},
		{"failing controller never pushes out the last good ones",
			[]snapshotInfo{unready("f1", 6), unready("f2", 7), unready("f3", 8), unready("f4", 9), ready("g1", 1), ready("g2", 2)},
			2, nil},
		{"unready older than the kept ready ones are deleted",
			[]snapshotInfo{ready("a", 4), unready("b", 3), ready("c", 2), unready("d", 1)}, 1, []string{"b", "c", "d"}},
		{"unready between ready ones is kept",
			[]snapshotInfo{ready("a", 4), unready("b", 3), ready("c", 2), unready("d", 1)}, 2, []string{"d"}},
		{"ties broken by name",
			[]snapshotInfo{ready("y", 1), ready("x", 1), ready("z", 1)}, 1, []string{"y", "z"}},
		{"zero creation time sorts oldest",
			[]snapshotInfo{{Name: "nots", Ready: true}, ready("a", 1)}, 1, []string{"nots"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.snaps)
			got := toPrune(tc.snaps, tc.keep)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if !slices.Equal(in, tc.snaps) {
				t.Error("input reordered")
			}
		})
	}
}
