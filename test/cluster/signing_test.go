//go:build cluster

package cluster_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
)

// sbomPackage is a package each image's SBOM must name: the project's own
// module in every Go binary (the services, the gateway, the smoke
// journey, PostgreSQL's dbagent), the storefront's framework, and
// PostgreSQL's Debian package.
var sbomPackage = map[string][]string{
	"web":      {"next", "react"},
	"postgres": {"postgresql-15", "github.com/shipshape-dev/shipshape"},
}

// statement is an in-toto statement, what a cosign attestation signs.
type statement struct {
	PredicateType string `json:"predicateType"`
	Subject       []struct {
		Name   string
		Digest map[string]string
	}
	Predicate struct {
		Name     string
		Packages []struct{ Name string }
	}
}

// Every deployed image is signed with the cluster's release key, and its
// SBOM can be fetched from the registry and verified with cosign: an SPDX
// document about exactly that digest, naming what the image holds. With
// another key neither verifies.
func TestReleaseImagesAreSignedWithVerifiableSBOMs(t *testing.T) {
	pub := filepath.Join(clustertest.State(t), "pki", "release-signing.pub")
	_, otherPub := clustertest.CosignKeyPair(t, t.TempDir())
	images := deployedImages(t, clustertest.State(t))
	if len(images) == 0 {
		t.Fatal("no deployed images")
	}
	for name, ref := range images {
		short := strings.TrimPrefix(name, "shipshape/")
		t.Run(short, func(t *testing.T) {
			if _, err := clustertest.Cosign(t, nil, "verify", "--key", pub, "--insecure-ignore-tlog=true", ref); err != nil {
				t.Errorf("signature: %v", err)
			}
			out, err := clustertest.Cosign(t, nil, "verify-attestation", "--key", pub, "--insecure-ignore-tlog=true", "--type", "spdxjson", ref)
			if err != nil {
				t.Fatalf("SBOM attestation: %v", err)
			}
			s := onlyStatement(t, out)
			digest := ref[strings.Index(ref, "@sha256:")+len("@sha256:"):]
			if s.PredicateType != "https://spdx.dev/Document" || len(s.Subject) != 1 || s.Subject[0].Digest["sha256"] != digest {
				t.Errorf("the attestation is a %q about %+v, want an SPDX document about sha256:%s", s.PredicateType, s.Subject, digest)
			}
			var packages []string
			for _, p := range s.Predicate.Packages {
				packages = append(packages, p.Name)
			}
			want, ok := sbomPackage[short]
			if !ok {
				want = []string{"github.com/shipshape-dev/shipshape", "stdlib"}
			}
			for _, p := range want {
				if !slices.Contains(packages, p) {
					t.Errorf("the SBOM (%s, %d packages) does not name %s", s.Predicate.Name, len(packages), p)
				}
			}

			if _, err := clustertest.Cosign(t, nil, "verify", "--key", otherPub, "--insecure-ignore-tlog=true", ref); err == nil {
				t.Error("the signature verifies with another key")
			}
			if _, err := clustertest.Cosign(t, nil, "verify-attestation", "--key", otherPub, "--insecure-ignore-tlog=true", "--type", "spdxjson", ref); err == nil {
				t.Error("the SBOM attestation verifies with another key")
			}
		})
	}
}

// onlyStatement decodes the one attestation cosign verified (a DSSE
// envelope per line) into its in-toto statement.
func onlyStatement(t *testing.T, out string) statement {
	t.Helper()
	var envelopes []string
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			envelopes = append(envelopes, line)
		}
	}
	if len(envelopes) != 1 {
		t.Fatalf("cosign verified %d attestations, want 1", len(envelopes))
	}
	var env struct{ PayloadType, Payload string }
	if err := json.Unmarshal([]byte(envelopes[0]), &env); err != nil {
		t.Fatal(err)
	}
	payload, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		t.Fatal(err)
	}
	var s statement
	if err := json.Unmarshal(payload, &s); err != nil {
		t.Fatal(err)
	}
	return s
}
