# Images are pinned: a tag other than "latest" everywhere, and a digest in
# production (written by the release step, docs/kubernetes.md).
package shipshape.images

import data.shipshape.lib

# the last path segment, where a tag lives (a registry host may have a port)
last_segment(image) := parts[count(parts) - 1] if parts := split(image, "/")

digest_pinned(image) if regex.match(`@sha256:[0-9a-f]{64}$`, image)

tag(image) := t if {
	not contains(image, "@")
	seg := last_segment(image)
	contains(seg, ":")
	t := split(seg, ":")[1]
}

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	image := x.container.image
	not digest_pinned(image)
	not tag(image)
	msg := sprintf("%s: container %q: image %q has no tag (that means latest)", [lib.id(obj), x.container.name, image])
}

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	image := x.container.image
	tag(image) == "latest"
	msg := sprintf("%s: container %q: image %q uses the latest tag", [lib.id(obj), x.container.name, image])
}

deny contains msg if {
	some obj in lib.workloads
	lib.environment(obj) == "production"
	some x in lib.containers(obj)
	image := x.container.image
	not digest_pinned(image)
	msg := sprintf("%s: container %q: image %q is not pinned by digest (production runs released digests only)", [lib.id(obj), x.container.name, image])
}
