package manifestcheck

import (
	"strings"
	"testing"
)

func TestProjectImageInAnyRegistry(t *testing.T) {
	digest := "@sha256:" + strings.Repeat("0", 64)
	for ref, want := range map[string]string{
		"shipshape/web:0.1.0": "shipshape/web",
		"ghcr.io/shipshape-dev/shipshape/catalog:0.1.0" + digest: "shipshape/catalog",
		"10.250.0.1:5443/shipshape/postgres" + digest:            "shipshape/postgres",
		"ghcr.io/other/catalog:1.0":                              "",
		"registry.example:5000/shipshape:1.0":                    "",
		"docker.io/library/busybox:1.36":                         "",
	} {
		got, ok := ProjectImage(ref)
		if got != want || ok != (want != "") {
			t.Errorf("ProjectImage(%q) = %q, %v; want %q", ref, got, ok, want)
		}
	}
	if got := ImageRepository("registry.example:5000/app:1.2" + digest); got != "registry.example:5000/app" {
		t.Errorf("ImageRepository kept a tag or digest, or lost the port: %q", got)
	}
}
