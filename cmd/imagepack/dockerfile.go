package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// runtimeConfig is what a Dockerfile's final stage says about how its
// image runs; the files are the caller's business.
type runtimeConfig struct {
	user, workdir   string
	env             []string // KEY=value, in order, a later KEY replacing an earlier one
	entrypoint, cmd []string
	exposed         []string // "8080/tcp"
}

// readDockerfile reads the runtime configuration of the last stage of a
// Dockerfile: USER, WORKDIR, ENV, ENTRYPOINT, CMD and EXPOSE. It
// understands what deploy/docker uses (line continuations, comments, the
// KEY=value and the legacy ENV forms, the exec form of ENTRYPOINT and CMD)
// and refuses what it would get wrong (variables, the shell form).
func readDockerfile(path string) (runtimeConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return runtimeConfig{}, err
	}
	var c runtimeConfig
	for i, line := range instructions(string(data)) {
		keyword, args, _ := strings.Cut(line, " ")
		args = strings.TrimSpace(args)
		fail := func(format string, a ...any) error {
			return fmt.Errorf("%s: instruction %d (%s): %s", path, i+1, keyword, fmt.Sprintf(format, a...))
		}
		switch keyword = strings.ToUpper(keyword); keyword {
		case "FROM":
			c = runtimeConfig{} // only the last stage is the image
			continue
		case "USER", "WORKDIR", "ENV", "ENTRYPOINT", "CMD", "EXPOSE":
		default:
			continue
		}
		if strings.Contains(args, "$") {
			return c, fail("variables are not supported")
		}
		switch keyword {
		case "USER":
			c.user = args
		case "WORKDIR":
			if !strings.HasPrefix(args, "/") {
				return c, fail("want an absolute path, got %q", args)
			}
			c.workdir = args
		case "ENV":
			pairs, err := envPairs(args)
			if err != nil {
				return c, fail("%v", err)
			}
			for _, p := range pairs {
				key, _, _ := strings.Cut(p, "=")
				c.env = slices.DeleteFunc(c.env, func(e string) bool { return strings.HasPrefix(e, key+"=") })
				c.env = append(c.env, p)
			}
		case "ENTRYPOINT", "CMD":
			var argv []string
			if err := json.Unmarshal([]byte(args), &argv); err != nil {
				return c, fail("want the exec form [\"...\"], got %q", args)
			}
			if keyword == "ENTRYPOINT" {
				c.entrypoint = argv
			} else {
				c.cmd = argv
			}
		case "EXPOSE":
			for _, p := range strings.Fields(args) {
				if !strings.Contains(p, "/") {
					p += "/tcp"
				}
				c.exposed = append(c.exposed, p)
			}
		}
	}
	return c, nil
}

// instructions joins continued lines and drops comments and blank lines.
func instructions(text string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && cur.Len() == 0) {
			continue
		}
		if more, ok := strings.CutSuffix(trimmed, "\\"); ok {
			cur.WriteString(more + " ")
			continue
		}
		cur.WriteString(trimmed)
		if s := strings.TrimSpace(cur.String()); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	return out
}

// envPairs splits ENV's arguments: KEY=value pairs (values optionally in
// double quotes, without spaces otherwise), or the legacy "KEY value".
func envPairs(args string) ([]string, error) {
	first, rest, _ := strings.Cut(args, " ")
	if !strings.Contains(first, "=") {
		if first == "" || strings.TrimSpace(rest) == "" {
			return nil, fmt.Errorf("want KEY=value, got %q", args)
		}
		return []string{first + "=" + strings.TrimSpace(rest)}, nil
	}
	var pairs []string
	for args = strings.TrimSpace(args); args != ""; args = strings.TrimSpace(args) {
		key, value, ok := strings.Cut(args, "=")
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return nil, fmt.Errorf("want KEY=value, got %q", args)
		}
		if strings.HasPrefix(value, `"`) {
			end := strings.Index(value[1:], `"`)
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote in %q", args)
			}
			pairs = append(pairs, key+"="+value[1:end+1])
			args = value[end+2:]
			continue
		}
		v, after, _ := strings.Cut(value, " ")
		pairs = append(pairs, key+"="+v)
		args = after
	}
	return pairs, nil
}
