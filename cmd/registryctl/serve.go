package main

import (
	"flag"
	"fmt"
	"os"
	"syscall"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/ociregistry"
)

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var c ociregistry.Config
	fs.StringVar(&c.Dir, "dir", "", "data and configuration directory")
	fs.StringVar(&c.Addr, "addr", "", "host:port to listen on")
	fs.StringVar(&c.CertFile, "cert", "", "server certificate (PEM)")
	fs.StringVar(&c.KeyFile, "key", "", "server key (PEM)")
	fs.StringVar(&c.User, "user", "", "the account's user name")
	passwordFile := fs.String("password-file", "", "file holding the account's password")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if c.Password, err = ociregistry.ReadPassword(*passwordFile); err != nil {
		return err
	}
	bin, err := registryBinary()
	if err != nil {
		return err
	}
	config, err := ociregistry.WriteConfig(c)
	if err != nil {
		return err
	}
	return syscall.Exec(bin, []string{bin, "serve", config}, append(os.Environ(), ociregistry.Env...))
}

// build builds the pinned registry once (into the repository's tool cache)
// and prints its path, so that a later serve starts at once.
func build(args []string) error {
	if len(args) != 0 {
		return fmt.Errorf("build takes no arguments")
	}
	bin, err := registryBinary()
	if err != nil {
		return err
	}
	fmt.Println(bin)
	return nil
}

// registryBinary is the pinned registry, built on first use into the tool
// cache of the repository the command runs in.
func registryBinary() (string, error) {
	repo, err := manifestcheck.FindRepo(".")
	if err != nil {
		return "", err
	}
	return repo.EnsureTool(ociregistry.Tool)
}
