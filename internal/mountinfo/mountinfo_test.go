package mountinfo_test

import (
	"slices"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/mountinfo"
)

// Optional fields before the separator, escaped paths and lines that are
// not mount lines.
func TestParse(t *testing.T) {
	got := mountinfo.Parse("22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n" +
		"35 31 0:32 /kubepods/pod\\0401 /sys/fs/cgroup/memory ro,nosuid shared:9 master:2 - cgroup cgroup rw,memory\n" +
		"garbage\n" +
		"41 31 0:38 / /mnt/with\\040space rw - cgroup2 cgroup2 rw")
	want := []mountinfo.Mount{
		{Root: "/", MountPoint: "/", FSType: "ext4", SuperOptions: []string{"rw"}},
		{Root: "/kubepods/pod 1", MountPoint: "/sys/fs/cgroup/memory", FSType: "cgroup", SuperOptions: []string{"rw", "memory"}},
		{Root: "/", MountPoint: "/mnt/with space", FSType: "cgroup2", SuperOptions: []string{"rw"}},
	}
	if !slices.EqualFunc(got, want, func(a, b mountinfo.Mount) bool {
		return a.Root == b.Root && a.MountPoint == b.MountPoint && a.FSType == b.FSType && slices.Equal(a.SuperOptions, b.SuperOptions)
	}) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}
