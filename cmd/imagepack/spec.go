package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// spec is one image: an optional base root file system, entries added on
// top of it in one layer, and the runtime configuration.
type spec struct {
	tag        string
	out        string
	base       string
	entries    []entry
	user       string
	workdir    string
	env        []string
	entrypoint []string
	cmd        []string
	exposed    []string
}

// entry is one thing in the top layer: a file copied from the host, a host
// directory copied recursively, an empty directory or a symbolic link.
type entry struct {
	kind     entryKind
	src, dst string
	mode     fs.FileMode
	uid, gid int
}

type entryKind int

const (
	fileEntry entryKind = iota
	treeEntry
	dirEntry
	linkEntry
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func parseFlags(fl *flag.FlagSet, args []string) (*spec, error) {
	s := &spec{}
	var files, trees, dirs, links, env, entrypoint, cmd listFlag
	fl.StringVar(&s.tag, "tag", "", "image reference, e.g. shipshape/catalog:dev (required)")
	fl.StringVar(&s.out, "out", "", "tarball to write (required)")
	fl.StringVar(&s.base, "base", "", "root file system tarball to use as the first layer")
	fl.Var(&files, "file", "host file into the image: src=dst[:mode] (repeatable)")
	fl.Var(&trees, "tree", "host directory copied recursively: src=dst (repeatable)")
	fl.Var(&dirs, "dir", "empty directory: path:mode:uid:gid (repeatable)")
	fl.Var(&links, "symlink", "symbolic link: path=target (repeatable)")
	fl.StringVar(&s.user, "user", "", "user the image runs as, numeric uid:gid")
	fl.StringVar(&s.workdir, "workdir", "", "working directory")
	fl.Var(&env, "env", "environment variable KEY=value (repeatable)")
	fl.Var(&entrypoint, "entrypoint", "entrypoint argument (repeatable, in order)")
	fl.Var(&cmd, "cmd", "command argument (repeatable, in order)")
	dockerfile := fl.String("dockerfile", "", "take user, workdir, env, entrypoint, cmd and exposed ports from this Dockerfile's final stage (instead of those flags)")
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	if fl.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fl.Arg(0))
	}
	if s.tag == "" || s.out == "" {
		return nil, errors.New("-tag and -out are required")
	}
	s.env, s.entrypoint, s.cmd = env, entrypoint, cmd
	if *dockerfile != "" {
		if s.user != "" || s.workdir != "" || len(env)+len(entrypoint)+len(cmd) > 0 {
			return nil, errors.New("-dockerfile sets the configuration: no -user, -workdir, -env, -entrypoint or -cmd with it")
		}
		c, err := readDockerfile(*dockerfile)
		if err != nil {
			return nil, err
		}
		s.user, s.workdir, s.env, s.entrypoint, s.cmd, s.exposed = c.user, c.workdir, c.env, c.entrypoint, c.cmd, c.exposed
	}
	for _, f := range files {
		e, err := parseFile(f)
		if err != nil {
			return nil, err
		}
		s.entries = append(s.entries, e)
	}
	for _, t := range trees {
		src, dst, ok := strings.Cut(t, "=")
		if !ok || src == "" || dst == "" {
			return nil, fmt.Errorf("-tree %q: want src=dst", t)
		}
		s.entries = append(s.entries, entry{kind: treeEntry, src: src, dst: dst})
	}
	for _, d := range dirs {
		e, err := parseDir(d)
		if err != nil {
			return nil, err
		}
		s.entries = append(s.entries, e)
	}
	for _, l := range links {
		path, target, ok := strings.Cut(l, "=")
		if !ok || path == "" || target == "" {
			return nil, fmt.Errorf("-symlink %q: want path=target", l)
		}
		s.entries = append(s.entries, entry{kind: linkEntry, dst: path, src: target, mode: 0o777})
	}
	if s.base == "" && len(s.entries) == 0 {
		return nil, errors.New("an image needs -base or at least one entry")
	}
	return s, nil
}

func parseFile(v string) (entry, error) {
	src, rest, ok := strings.Cut(v, "=")
	if !ok || src == "" || rest == "" {
		return entry{}, fmt.Errorf("-file %q: want src=dst[:mode]", v)
	}
	e := entry{kind: fileEntry, src: src, dst: rest, mode: 0o755}
	if dst, mode, ok := strings.Cut(rest, ":"); ok {
		m, err := strconv.ParseUint(mode, 8, 32)
		if err != nil {
			return entry{}, fmt.Errorf("-file %q: mode %q is not octal", v, mode)
		}
		e.dst, e.mode = dst, fs.FileMode(m)
	}
	return e, nil
}

func parseDir(v string) (entry, error) {
	parts := strings.Split(v, ":")
	if len(parts) != 4 || parts[0] == "" {
		return entry{}, fmt.Errorf("-dir %q: want path:mode:uid:gid", v)
	}
	mode, err := strconv.ParseUint(parts[1], 8, 32)
	if err != nil {
		return entry{}, fmt.Errorf("-dir %q: mode %q is not octal", v, parts[1])
	}
	uid, err1 := strconv.Atoi(parts[2])
	gid, err2 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil {
		return entry{}, fmt.Errorf("-dir %q: uid and gid must be numbers", v)
	}
	return entry{kind: dirEntry, dst: parts[0], mode: fs.FileMode(mode), uid: uid, gid: gid}, nil
}
