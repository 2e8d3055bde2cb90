package btrfscsi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// volumeRecord is what the driver knows of a volume beyond its subvolume.
type volumeRecord struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Capacity int64  `json:"capacity"`
	// Snapshot is the snapshot the volume was restored from, if any.
	Snapshot string `json:"snapshot,omitempty"`
}

type snapshotRecord struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Source  string    `json:"source"`
	Size    int64     `json:"size"`
	Created time.Time `json:"created"`
}

// idFor derives an object's ID from the name the CO gave it, so that a
// retried create finds what the first attempt made, even one that crashed
// half-way.
func idFor(kind, name string) string {
	sum := sha256.Sum256([]byte(name))
	return kind + "-" + hex.EncodeToString(sum[:10])
}

// validID tells an ID of this driver's from anything else, so that a
// request's ID never becomes a path outside the pool.
func validID(kind, id string) bool {
	rest, ok := strings.CutPrefix(id, kind+"-")
	if !ok || len(rest) != 20 {
		return false
	}
	_, err := hex.DecodeString(rest)
	return err == nil
}

// A record file is the commit point of a create: the subvolume is made
// first, the record last, so a record always names a complete subvolume.
func (p pool) recordPath(kind, id string) string {
	return filepath.Join(p.meta(), kind+"s", id+".json")
}

// readRecord reads the record of id into v; found is false when there is
// none.
func (p pool) readRecord(kind, id string, v any) (found bool, err error) {
	b, err := os.ReadFile(p.recordPath(kind, id))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("record of %s: %w", id, err)
	}
	return true, nil
}

// writeRecord replaces the record atomically: a crash leaves the old one
// or the new one, never a torn file.
func (p pool) writeRecord(kind, id string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	path := p.recordPath(kind, id)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func (p pool) removeRecord(kind, id string) error {
	err := os.Remove(p.recordPath(kind, id))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return syncDir(filepath.Dir(p.recordPath(kind, id)))
}

// snapshotRecords lists every snapshot, oldest first (ties by ID), the
// order ListSnapshots pages through.
func (p pool) snapshotRecords() ([]snapshotRecord, error) {
	paths, err := filepath.Glob(filepath.Join(p.meta(), "snapshots", "*.json"))
	if err != nil {
		return nil, err
	}
	var out []snapshotRecord
	for _, path := range paths {
		var r snapshotRecord
		id := strings.TrimSuffix(filepath.Base(path), ".json")
		found, err := p.readRecord("snapshot", id, &r)
		if err != nil {
			return nil, err
		}
		if found {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
