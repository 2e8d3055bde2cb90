package btrfscsi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// pool is a mounted btrfs file system with quotas on; every volume and
// snapshot is a subvolume in it. The btrfs command (Debian's btrfs-progs)
// does the work: its operations are the kernel's ioctls, one each.
type pool struct {
	root string
}

func (p pool) volumes() string   { return filepath.Join(p.root, "volumes") }
func (p pool) snapshots() string { return filepath.Join(p.root, "snapshots") }
func (p pool) meta() string      { return filepath.Join(p.root, "meta") }

// open checks that root is the top of a btrfs file system, turns quotas
// on (a volume's capacity is its quota group's limit) and makes the
// directories the driver keeps things in.
func openPool(ctx context.Context, root string) (pool, error) {
	p := pool{root: root}
	if err := p.btrfs(ctx, "filesystem", "df", root); err != nil {
		return p, fmt.Errorf("%s is not a btrfs file system: %w", root, err)
	}
	if err := p.btrfs(ctx, "quota", "enable", root); err != nil {
		return p, err
	}
	for _, dir := range []string{p.volumes(), p.snapshots(), filepath.Join(p.meta(), "volumes"), filepath.Join(p.meta(), "snapshots")} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (p pool) create(ctx context.Context, path string) error {
	return p.btrfs(ctx, "subvolume", "create", path)
}

// snapshot makes dst an atomic copy of the subvolume src; readOnly for a
// snapshot the driver keeps, writable for a volume restored from one.
func (p pool) snapshot(ctx context.Context, src, dst string, readOnly bool) error {
	args := []string{"subvolume", "snapshot"}
	if readOnly {
		args = append(args, "-r")
	}
	return p.btrfs(ctx, append(args, src, dst)...)
}

// remove deletes the subvolume at path; one that is not there is gone
// already. -c waits for the deletion's commit, so a crash right after
// never brings it back. (Its empty quota group stays behind, harmless.)
func (p pool) remove(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return p.btrfs(ctx, "subvolume", "delete", "-c", path)
}

// place makes the subvolume dir/id of a volume or snapshot: build fills it
// under a temporary name, a rename puts it in place, and the record (rec)
// is written last, the commit point: whatever a crash leaves behind
// without a record, the next attempt removes first.
func (p pool) place(ctx context.Context, kind, dir, id string, rec any, build func(tmp string) error) error {
	final := filepath.Join(dir, id)
	tmp := filepath.Join(dir, ".new-"+id)
	for _, leftover := range []string{tmp, final} {
		if err := p.remove(ctx, leftover); err != nil {
			return err
		}
	}
	if err := build(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	return p.writeRecord(kind, id, rec)
}

// discard undoes place: the subvolume, then the record, so a crash in
// between leaves a record the retry removes.
func (p pool) discard(ctx context.Context, kind, dir, id string) error {
	if err := p.remove(ctx, filepath.Join(dir, id)); err != nil {
		return err
	}
	return p.removeRecord(kind, id)
}

// limit caps what the subvolume at path may hold.
func (p pool) limit(ctx context.Context, path string, bytes int64) error {
	return p.btrfs(ctx, "qgroup", "limit", strconv.FormatInt(bytes, 10), path)
}

func (p pool) btrfs(ctx context.Context, args ...string) error {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "btrfs", args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("btrfs %v: %w: %s", args, err, bytes.TrimSpace(out.Bytes()))
	}
	return nil
}
