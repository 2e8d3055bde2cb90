// Command imagepack writes a container image as a docker-archive tarball
// (what `ctr images import` reads) from local files, with no daemon and no
// registry: the test cluster's way of turning the binaries that the
// Dockerfiles build into images. Layers are reproducible: the same inputs
// give the same digest.
//
//	imagepack -tag shipshape/catalog:dev -out catalog.tar -user 65532:65532 \
//	  -file .bin/catalog=/service -entrypoint /service -cmd serve
//
// With -dockerfile the runtime configuration (user, working directory,
// environment, entrypoint, command, exposed ports) comes from that
// Dockerfile's final stage: an image standing in for a shipped one runs
// exactly as the Dockerfile says.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	spec, err := parseFlags(flag.CommandLine, os.Args[1:])
	if err == nil {
		var digest string
		digest, err = spec.write()
		if err == nil {
			fmt.Printf("%s %s\n", spec.tag, digest)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "imagepack:", err)
	os.Exit(1)
}
