package main

import (
	"context"
	"crypto/x509"
	"flag"
	"fmt"
	"os"
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
	password, err := readPassword(*passwordFile)
	if err != nil {
		return err
	}
	pem, err := os.ReadFile(*caFile)
	if err != nil {
		return fmt.Errorf("-ca: %w", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		return fmt.Errorf("-ca %s: no PEM certificate in it", *caFile)
	}
	client := ociregistry.Client{User: *user, Password: password, Roots: roots}
	ref := fs.Arg(1)
	digest, err := client.Push(context.Background(), fs.Arg(0), ref)
	if err != nil {
		return err
	}
	repo := ref[:strings.LastIndex(ref, ":")]
	fmt.Printf("%s@%s\n", repo, digest)
	return nil
}

// readPassword reads a password from a file (never a flag: flags show in
// the process list), without its trailing newline.
func readPassword(file string) (string, error) {
	if file == "" {
		return "", fmt.Errorf("-password-file is required")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(data), "\r\n"), nil
}
