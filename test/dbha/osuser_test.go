package dbha_test

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"sync"
	"syscall"
	"testing"
)

// serverUser is the OS account of every PostgreSQL-side process (Patroni,
// postgres, pgBackRest): the postgres user when we are root, because they
// all refuse root; ourselves otherwise.
type serverUser struct {
	cred *syscall.Credential // nil: run as ourselves
}

var lookupServerUser = sync.OnceValues(func() (serverUser, error) {
	if os.Geteuid() != 0 {
		return serverUser{}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return serverUser{}, fmt.Errorf("running as root needs the postgres OS user (Debian's postgresql package creates it): %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return serverUser{}, fmt.Errorf("postgres user has non-numeric uid/gid %s/%s", u.Uid, u.Gid)
	}
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	// Supplementary groups replace root's own in the child (ssl-cert, for one).
	gids, _ := u.GroupIds()
	for _, g := range gids {
		if n, err := strconv.ParseUint(g, 10, 32); err == nil {
			cred.Groups = append(cred.Groups, uint32(n))
		}
	}
	return serverUser{cred: cred}, nil
})

func requireServerUser(t testing.TB) serverUser {
	t.Helper()
	u, err := lookupServerUser()
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// mkdir creates dir (and parents) owned by the server user with mode perm.
func (u serverUser) mkdir(t testing.TB, dir string, perm os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(dir, perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, perm); err != nil {
		t.Fatal(err)
	}
	u.chown(t, dir)
}

// writeFile writes a file the server user owns and can read.
func (u serverUser) writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	u.chown(t, path)
}

func (u serverUser) chown(t testing.TB, path string) {
	t.Helper()
	if u.cred == nil {
		return
	}
	if err := os.Chown(path, int(u.cred.Uid), int(u.cred.Gid)); err != nil {
		t.Fatal(err)
	}
}
