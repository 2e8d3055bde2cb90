// Package mountinfo reads the kernel's /proc/<pid>/mountinfo: which file
// systems are mounted where, and which part of each a mount shows.
package mountinfo

import (
	"strconv"
	"strings"
)

// Self is this process's mount table.
const Self = "/proc/self/mountinfo"

// Mount is one line of a mountinfo file, with the kernel's octal escapes
// (\040 for a space) undone in the paths.
type Mount struct {
	Root         string // the directory of the file system this mount shows
	MountPoint   string
	FSType       string
	SuperOptions []string // the file system's own options (cgroup v1: its controllers)
}

// Parse reads mountinfo text; lines it cannot read are skipped.
func Parse(text string) []Mount {
	var mounts []Mount
	for line := range strings.Lines(text) {
		// ID parent major:minor root mount-point options [optional...] - fstype source super-options
		before, after, ok := strings.Cut(strings.TrimSpace(line), " - ")
		f, g := strings.Fields(before), strings.Fields(after)
		if !ok || len(f) < 5 || len(g) < 3 {
			continue
		}
		mounts = append(mounts, Mount{Root: unescape(f[3]), MountPoint: unescape(f[4]), FSType: g[0],
			SuperOptions: strings.Split(g[2], ",")})
	}
	return mounts
}

// unescape undoes the kernel's octal escapes.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
