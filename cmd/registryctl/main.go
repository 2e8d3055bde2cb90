// Command registryctl runs the test harness's release registry and pushes
// images to it (internal/ociregistry):
//
//	registryctl build
//	registryctl serve -dir D -addr HOST:PORT -cert C -key K -user U -password-file P
//	registryctl push -ca CA -user U -password-file P ARCHIVE HOST:PORT/REPO:TAG
//
// build builds the pinned registry once (tools/registry) and prints its
// path; serve writes its configuration and becomes it (same process id,
// for the harness's bookkeeping); push prints the REPO@sha256:... that
// the registry now serves.
package main

import (
	"fmt"
	"os"
)

func main() {
	commands := map[string]func([]string) error{"build": build, "serve": serve, "push": push}
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: registryctl build|serve|push [flags] (see the package comment)")
		os.Exit(2)
	}
	if err := commands[os.Args[1]](os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "registryctl:", err)
		os.Exit(1)
	}
}
