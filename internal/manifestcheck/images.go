package manifestcheck

import "strings"

// ImageRepository is an image reference without its tag and digest. A
// registry host may have a port, so a tag is a colon after the last slash.
func ImageRepository(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	return ref
}

// ProjectImage names one of the project's images as the manifests' image
// names do, "shipshape/<name>", in whatever registry the reference points
// at (the overlays name ghcr.io/..., the test cluster its own registry);
// ok is false for any other image.
func ProjectImage(ref string) (name string, ok bool) {
	segs := strings.Split(ImageRepository(ref), "/")
	if len(segs) < 2 || segs[len(segs)-2] != "shipshape" {
		return "", false
	}
	return "shipshape/" + segs[len(segs)-1], true
}
