package pglocal

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// osUser is the unprivileged account that runs initdb and postgres when we
// are root: both refuse to run as root.
const osUser = "postgres"

// runAs describes the OS identity of the server processes. A nil *runAs
// means "the current user" (we are not root, so nothing to switch).
type runAs struct {
	name   string
	uid    uint32
	gid    uint32
	groups []uint32
}

func lookupRunAs() (*runAs, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(osUser)
	if err != nil {
		return nil, fmt.Errorf("pglocal: running as root needs the %q OS user (created by the Debian postgresql package): %w", osUser, err)
	}
	r := &runAs{name: u.Username}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("pglocal: user %s has non-numeric uid/gid %s/%s", u.Username, u.Uid, u.Gid)
	}
	r.uid, r.gid = uint32(uid), uint32(gid)
	// Supplementary groups matter for traversal checks and must replace
	// root's own groups in the child.
	gids, _ := u.GroupIds()
	for _, g := range gids {
		if n, err := strconv.ParseUint(g, 10, 32); err == nil {
			r.groups = append(r.groups, uint32(n))
		}
	}
	return r, nil
}

// sysProcAttr puts the server in its own process group, so a terminal Ctrl-C
// reaches only us and the caller decides the shutdown order, and asks the
// kernel to SIGQUIT it if our process dies. Pdeathsig fires when the
// spawning OS thread exits; Go only retires threads of goroutines that exit
// while locked to their thread, which this package never does.
func (r *runAs) sysProcAttr() *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGQUIT}
	if r != nil {
		attr.Credential = &syscall.Credential{Uid: r.uid, Gid: r.gid, Groups: r.groups}
	}
	return attr
}

func (r *runAs) chown(path string) error {
	if r == nil {
		return nil
	}
	if err := os.Chown(path, int(r.uid), int(r.gid)); err != nil {
		return fmt.Errorf("pglocal: chown %s to %s: %w", path, r.name, err)
	}
	return nil
}

// checkTraversable reports the first ancestor of dir (dir excluded) that the
// server user cannot enter; postgres would otherwise fail later with a
// vaguer "permission denied" in its log.
func (r *runAs) checkTraversable(dir string) error {
	if r == nil {
		return nil
	}
	var chain []string
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		chain = append(chain, p)
		if p == filepath.Dir(p) {
			break
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		fi, err := os.Stat(chain[i])
		if err != nil {
			return fmt.Errorf("pglocal: %w", err)
		}
		if !r.canSearch(fi) {
			return fmt.Errorf("pglocal: directory %s is not traversable by OS user %s, which runs postgres "+
				"(we are root); allow it with `chmod o+x %s` or put the data directory elsewhere",
				chain[i], r.name, chain[i])
		}
	}
	return nil
}

// canSearch applies the classic owner/group/other execute-bit rules.
func (r *runAs) canSearch(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	mode := fi.Mode().Perm()
	switch {
	case st.Uid == r.uid:
		return mode&0o100 != 0
	case r.inGroup(st.Gid):
		return mode&0o010 != 0
	default:
		return mode&0o001 != 0
	}
}

func (r *runAs) inGroup(gid uint32) bool {
	if gid == r.gid {
		return true
	}
	for _, g := range r.groups {
		if g == gid {
			return true
		}
	}
	return false
}
