package main

import (
	"archive/tar"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func pack(t *testing.T, args ...string) (string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "image.tar")
	s, err := parseFlags(flag.NewFlagSet("imagepack", flag.ContinueOnError), append([]string{"-out", out}, args...))
	if err != nil {
		t.Fatal(err)
	}
	digest, err := s.write()
	if err != nil {
		t.Fatal(err)
	}
	return out, digest
}

func TestImageHasFilesConfigAndOwners(t *testing.T) {
	src := t.TempDir()
	must(t, os.WriteFile(filepath.Join(src, "service"), []byte("binary"), 0o600))
	must(t, os.MkdirAll(filepath.Join(src, "app", "static"), 0o755))
	must(t, os.WriteFile(filepath.Join(src, "app", "static", "x.js"), []byte("js"), 0o644))
	must(t, os.Symlink("static/x.js", filepath.Join(src, "app", "link.js")))

	out, _ := pack(t, "-tag", "shipshape/test:dev",
		"-file", filepath.Join(src, "service")+"=/service",
		"-tree", filepath.Join(src, "app")+"=/app",
		"-dir", "/app/.next/cache:0755:1000:1000",
		"-symlink", "/bin/sh=/bin/busybox",
		"-user", "65532:65532", "-workdir", "/app",
		"-entrypoint", "/service", "-cmd", "serve")

	img, cf := loadImage(t, out, "shipshape/test:dev")
	if cf.Config.User != "65532:65532" || cf.Config.WorkingDir != "/app" ||
		!reflect.DeepEqual(cf.Config.Entrypoint, []string{"/service"}) || !reflect.DeepEqual(cf.Config.Cmd, []string{"serve"}) {
		t.Errorf("config = %+v", cf.Config)
	}

	got := map[string]*tar.Header{}
	content := map[string]string{}
	tr := tar.NewReader(mutate.Extract(img))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got[h.Name] = h
		b, _ := io.ReadAll(tr)
		content[h.Name] = string(b)
	}
	if h := got["service"]; h == nil || h.Mode != 0o755 || content["service"] != "binary" {
		t.Errorf("service: %+v %q (want mode 0755 by default)", h, content["service"])
	}
	if h := got["app/static/x.js"]; h == nil || h.Mode != 0o644 || content["app/static/x.js"] != "js" {
		t.Errorf("tree file: %+v", h)
	}
	if h := got["app/link.js"]; h == nil || h.Typeflag != tar.TypeSymlink || h.Linkname != "static/x.js" {
		t.Errorf("tree symlink: %+v", h)
	}
	if h := got["app/.next/cache"]; h == nil || h.Uid != 1000 || h.Gid != 1000 {
		t.Errorf("writable dir: %+v", h)
	}
	if h := got["bin/sh"]; h == nil || h.Linkname != "/bin/busybox" {
		t.Errorf("symlink: %+v", h)
	}
}

func TestSameInputsGiveTheSameDigest(t *testing.T) {
	f := filepath.Join(t.TempDir(), "f")
	must(t, os.WriteFile(f, []byte("x"), 0o644))
	_, a := pack(t, "-tag", "shipshape/a:1", "-file", f+"=/f")
	must(t, os.Chtimes(f, epoch.AddDate(30, 0, 0), epoch.AddDate(30, 0, 0)))
	_, b := pack(t, "-tag", "shipshape/a:1", "-file", f+"=/f")
	if a != b {
		t.Fatalf("digests differ: %s %s", a, b)
	}
	_, c := pack(t, "-tag", "shipshape/a:1", "-file", f+"=/f:0600")
	if a == c {
		t.Fatal("a different mode gave the same digest")
	}
}

func TestBadFlagsAreRefused(t *testing.T) {
	for _, args := range [][]string{
		{"-out", "x.tar", "-file", "a=/a"},
		{"-tag", "a:1", "-out", "x.tar"},
		{"-tag", "a:1", "-out", "x.tar", "-file", "a"},
		{"-tag", "a:1", "-out", "x.tar", "-file", "a=/a:rw"},
		{"-tag", "a:1", "-out", "x.tar", "-dir", "/d:0755:root:0"},
		{"-tag", "a:1", "-out", "x.tar", "-tree", "=/app"},
		{"-tag", "a:1", "-out", "x.tar", "-symlink", "/bin/sh"},
		{"-tag", "a:1", "-out", "x.tar", "-file", "a=/a", "stray"},
	} {
		fl := flag.NewFlagSet("imagepack", flag.ContinueOnError)
		fl.SetOutput(io.Discard)
		if _, err := parseFlags(fl, args); err == nil {
			t.Errorf("%q: want an error", args)
		}
	}
}

func TestMissingSourceFails(t *testing.T) {
	s, err := parseFlags(flag.NewFlagSet("imagepack", flag.ContinueOnError),
		[]string{"-tag", "a:1", "-out", filepath.Join(t.TempDir(), "x.tar"), "-file", "/nonexistent/file=/f"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.write(); err == nil {
		t.Fatal("want an error for a missing source file")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustTag(t *testing.T, s string) *name.Tag {
	t.Helper()
	tag, err := name.NewTag(s)
	if err != nil {
		t.Fatal(err)
	}
	return &tag
}

// loadImage reads a packed image and its configuration.
func loadImage(t *testing.T, out, tag string) (v1.Image, *v1.ConfigFile) {
	t.Helper()
	img, err := tarball.ImageFromPath(out, mustTag(t, tag))
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	return img, cf
}
