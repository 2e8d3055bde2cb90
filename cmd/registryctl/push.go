package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/ociregistry"
)

func push(args []string) error {
	fs := flag.NewFlagSet("push", flag.ContinueOnError)
	caFile := fs.String("ca", "", "the registry's CA certificate (PEM)")
	user := fs.String("user", "", "the account's user name")
	passwordFile := fs.String("password-file", "", "file holding the account's password")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("push: want ARCHIVE and HOST:PORT/REPO:TAG, got %q", fs.Args())
	}
	client, err := ociregistry.ClientFromFiles(*user, *caFile, *passwordFile)
	if err != nil {
		return err
	}
	ref := fs.Arg(1)
	digest, err := client.Push(context.Background(), fs.Arg(0), ref)
	if err != nil {
		return err
	}
	repo := ref[:strings.LastIndex(ref, ":")]
	fmt.Printf("%s@%s\n", repo, digest)
	return nil
}
