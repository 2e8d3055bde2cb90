package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeDockerfile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "Dockerfile")
	must(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

func TestReadDockerfileTakesTheFinalStage(t *testing.T) {
	path := writeDockerfile(t, `# syntax=docker/dockerfile:1
ARG GO_IMAGE=golang:1.27.3
FROM ${GO_IMAGE} AS build
USER 0
ENV GOTOOLCHAIN=local
CMD ["go"]

FROM example/base:1
ENV NODE_ENV=production \
    TELEMETRY="off" PORT=3000
ENV LEGACY the value
ENV PORT=3001
WORKDIR /app
# a comment between instructions
RUN echo "$HOME" \
 && true
USER 1000:1000
EXPOSE 3000 9090/udp
ENTRYPOINT ["/usr/local/bin/node"]
CMD ["start.js", "--flag"]
`)
	got, err := readDockerfile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := runtimeConfig{
		user:       "1000:1000",
		workdir:    "/app",
		env:        []string{"NODE_ENV=production", "TELEMETRY=off", "LEGACY=the value", "PORT=3001"},
		entrypoint: []string{"/usr/local/bin/node"},
		cmd:        []string{"start.js", "--flag"},
		exposed:    []string{"3000/tcp", "9090/udp"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestReadDockerfileRefusesWhatItCannotRead(t *testing.T) {
	for _, text := range []string{
		"FROM x\nCMD node start.js\n",      // shell form
		"FROM x\nUSER ${UID}\n",            // a variable
		"FROM x\nWORKDIR app\n",            // relative
		"FROM x\nENV KEY=\"unterminated\n", // quote
		"FROM x\nENV =value\n",             // no key
	} {
		if _, err := readDockerfile(writeDockerfile(t, text)); err == nil {
			t.Errorf("%q: no error", text)
		}
	}
}

// The images the test cluster packs for the shipped ones take their
// configuration from deploy/docker: each Dockerfile reads, and an image
// packed with -dockerfile carries its user, command and ports.
func TestShippedDockerfilesConfigureThePackedImage(t *testing.T) {
	files, err := filepath.Glob("../../deploy/docker/*.Dockerfile")
	if err != nil || len(files) < 3 {
		t.Fatalf("Dockerfiles: %v %v", files, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			c, err := readDockerfile(file)
			if err != nil {
				t.Fatal(err)
			}
			if uid, _, _ := strings.Cut(c.user, ":"); uid == "" || strings.Trim(uid, "0123456789") != "" || uid == "0" {
				t.Errorf("USER %q: Kubernetes' runAsNonRoot needs a numeric, non-root user", c.user)
			}
			if len(c.entrypoint)+len(c.cmd) == 0 || len(c.exposed) == 0 {
				t.Errorf("no command or no exposed port: %+v", c)
			}
			src := filepath.Join(t.TempDir(), "f")
			must(t, os.WriteFile(src, []byte("x"), 0o644))
			out, _ := pack(t, "-tag", "shipshape/test:dev", "-file", src+"=/f", "-dockerfile", file)
			_, cf := loadImage(t, out, "shipshape/test:dev")
			if cf.Config.User != c.user || !reflect.DeepEqual(cf.Config.Entrypoint, c.entrypoint) ||
				!reflect.DeepEqual(cf.Config.Cmd, c.cmd) || len(cf.Config.ExposedPorts) != len(c.exposed) {
				t.Errorf("packed config %+v, Dockerfile says %+v", cf.Config, c)
			}
			for _, e := range c.env {
				if !strings.Contains(strings.Join(cf.Config.Env, "\n")+"\n", e+"\n") {
					t.Errorf("packed env %v lacks %s", cf.Config.Env, e)
				}
			}
		})
	}
}
