# Images are pinned: a tag other than "latest" everywhere, and a digest in
# staging and production (written by scripts/promote.sh, docs/delivery.md),
# where they also come from the environment's allowed registries.
package shipshape.images

import data.shipshape.lib

# the last path segment, where a tag lives (a registry host may have a port)
last_segment(image) := parts[count(parts) - 1] if parts := split(image, "/")

# staging and production run released images (a digest, an allowed registry)
controlled_environment(obj) if lib.environment(obj) in {"staging", "production"}

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
	controlled_environment(obj)
	some x in lib.containers(obj)
	image := x.container.image
	not digest_pinned(image)
	msg := sprintf("%s: container %q: image %q is not pinned by digest (staging and production run released digests only)", [lib.id(obj), x.container.name, image])
}

# Staging and production run images from their own registries only: the
# prefixes listed (key "prefixes", one per line) by the ConfigMap
# shipshape-allowed-registries in the workload's namespace, rendered with
# the overlay. Admission: infrastructure/base/admission/registries.yaml.
registries_name := "shipshape-allowed-registries"

allowed_prefixes(namespace) := [p |
	some cm in lib.objects
	cm.kind == "ConfigMap"
	cm.metadata.name == registries_name
	cm.metadata.namespace == namespace
	some line in split(object.get(cm, ["data", "prefixes"], ""), "\n")
	p := trim_space(line)
	p != ""
]

deny contains msg if {
	some obj in lib.workloads
	controlled_environment(obj)
	count(allowed_prefixes(obj.metadata.namespace)) == 0
	msg := sprintf("%s: namespace %q lists no allowed registries (ConfigMap %s, key prefixes)", [lib.id(obj), obj.metadata.namespace, registries_name])
}

deny contains msg if {
	some obj in lib.workloads
	controlled_environment(obj)
	prefixes := allowed_prefixes(obj.metadata.namespace)
	count(prefixes) > 0
	some x in lib.containers(obj)
	image := x.container.image
	not startswith_any(image, prefixes)
	msg := sprintf("%s: container %q: image %q is not from an allowed registry (%s)", [lib.id(obj), x.container.name, image, concat(", ", prefixes)])
}

startswith_any(s, prefixes) if {
	some p in prefixes
	startswith(s, p)
}
