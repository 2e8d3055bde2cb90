package ociregistry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Client reaches one registry: its account, and the CAs its certificate
// is verified against (never skipped).
type Client struct {
	User, Password string
	Roots          *x509.CertPool
}

func (c Client) options(ctx context.Context) []remote.Option {
	tr := remote.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: c.Roots, MinVersion: tls.VersionTLS12}
	return []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuth(&authn.Basic{Username: c.User, Password: c.Password}),
		remote.WithTransport(tr),
	}
}

// Push uploads the image of a docker-archive tarball (what imagepack
// writes) as ref (host:port/repository:tag) and returns the digest the
// registry now serves that tag by, after checking it is the image's own:
// deploying by that digest runs exactly these bytes.
func (c Client) Push(ctx context.Context, archive, ref string) (v1.Hash, error) {
	tag, err := name.NewTag(ref, name.StrictValidation)
	if err != nil {
		return v1.Hash{}, fmt.Errorf("image reference %q: %w", ref, err)
	}
	img, err := tarball.ImageFromPath(archive, nil)
	if err != nil {
		return v1.Hash{}, fmt.Errorf("reading %s: %w", archive, err)
	}
	return c.push(ctx, img, tag)
}

// PushImage is Push for an image in memory (one a test derived from an
// archive, say).
func (c Client) PushImage(ctx context.Context, img v1.Image, ref string) (v1.Hash, error) {
	tag, err := name.NewTag(ref, name.StrictValidation)
	if err != nil {
		return v1.Hash{}, fmt.Errorf("image reference %q: %w", ref, err)
	}
	return c.push(ctx, img, tag)
}

func (c Client) push(ctx context.Context, img v1.Image, tag name.Tag) (v1.Hash, error) {
	want, err := img.Digest()
	if err != nil {
		return v1.Hash{}, err
	}
	if err := remote.Write(tag, img, c.options(ctx)...); err != nil {
		return v1.Hash{}, fmt.Errorf("pushing %s: %w", tag, err)
	}
	got, err := c.Digest(ctx, tag.String())
	if err != nil {
		return v1.Hash{}, err
	}
	if got != want {
		return v1.Hash{}, fmt.Errorf("%s: the registry serves %s, the image is %s", tag, got, want)
	}
	return got, nil
}

// Digest asks the registry which manifest digest ref (a tag or a digest
// reference) names.
func (c Client) Digest(ctx context.Context, ref string) (v1.Hash, error) {
	r, err := name.ParseReference(ref, name.StrictValidation)
	if err != nil {
		return v1.Hash{}, fmt.Errorf("image reference %q: %w", ref, err)
	}
	desc, err := remote.Head(r, c.options(ctx)...)
	if err != nil {
		return v1.Hash{}, fmt.Errorf("asking for %s: %w", ref, err)
	}
	return desc.Digest, nil
}

// ClientFromFiles is the client of user whose password is in passwordFile
// (never a flag: flags show in the process list) and whose registry's CA
// is caFile (PEM): how the harness and its tests hold them.
func ClientFromFiles(user, caFile, passwordFile string) (Client, error) {
	password, err := ReadPassword(passwordFile)
	if err != nil {
		return Client{}, err
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return Client{}, fmt.Errorf("CA file: %w", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		return Client{}, fmt.Errorf("CA file %s: no PEM certificate in it", caFile)
	}
	return Client{User: user, Password: password, Roots: roots}, nil
}

// ReadPassword reads a password file without its trailing newline.
func ReadPassword(file string) (string, error) {
	if file == "" {
		return "", fmt.Errorf("a password file is required")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(data), "\r\n"), nil
}
