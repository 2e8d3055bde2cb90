package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// layerWriter writes a reproducible tar: fixed timestamps, root ownership
// unless asked otherwise, parent directories created once.
type layerWriter struct {
	tw   *tar.Writer
	dirs map[string]bool
}

var epoch = time.Unix(0, 0)

// buildLayer returns the top layer's tar with every entry of the spec.
func buildLayer(entries []entry) ([]byte, error) {
	var buf bytes.Buffer
	w := &layerWriter{tw: tar.NewWriter(&buf), dirs: map[string]bool{}}
	for _, e := range entries {
		if err := w.add(e); err != nil {
			return nil, err
		}
	}
	if err := w.tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (w *layerWriter) add(e entry) error {
	dst := strings.Trim(path.Clean("/"+e.dst), "/")
	if dst == "" {
		return fmt.Errorf("%q: the image root cannot be replaced", e.dst)
	}
	if err := w.parents(dst); err != nil {
		return err
	}
	switch e.kind {
	case fileEntry:
		return w.file(e.src, dst, e.mode)
	case treeEntry:
		return w.tree(e.src, dst)
	case dirEntry:
		w.dirs[dst] = true
		return w.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dst + "/", Mode: int64(e.mode), Uid: e.uid, Gid: e.gid, ModTime: epoch})
	default:
		return w.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: dst, Linkname: e.src, Mode: 0o777, ModTime: epoch})
	}
}

// parents writes the directories above dst that this layer has not written yet.
func (w *layerWriter) parents(dst string) error {
	segs := strings.Split(dst, "/")
	for i := 1; i < len(segs); i++ {
		d := strings.Join(segs[:i], "/")
		if w.dirs[d] {
			continue
		}
		w.dirs[d] = true
		if err := w.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: epoch}); err != nil {
			return err
		}
	}
	return nil
}

func (w *layerWriter) file(src, dst string, mode fs.FileMode) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", src)
	}
	if err := w.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: dst, Mode: int64(mode), Size: st.Size(), ModTime: epoch}); err != nil {
		return err
	}
	_, err = io.Copy(w.tw, f)
	return err
}

// tree copies a host directory, keeping file modes and symbolic links.
func (w *layerWriter) tree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		name := path.Join(dst, filepath.ToSlash(rel))
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if w.dirs[name] {
				return nil
			}
			w.dirs[name] = true
			return w.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: int64(info.Mode().Perm()), ModTime: epoch})
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return w.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777, ModTime: epoch})
		case info.Mode().IsRegular():
			return w.file(p, name, info.Mode().Perm())
		default:
			return fmt.Errorf("%s: unsupported file type %s", p, info.Mode().Type())
		}
	})
}
