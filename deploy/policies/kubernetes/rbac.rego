# Least privilege for the workloads that call the Kubernetes API: namespaced
# Roles only (no ClusterRole or ClusterRoleBinding of ours), every rule
# naming its API groups, resources and verbs (no "*"), and never Secrets:
# workloads get secrets mounted, not read through the API (the ingress
# controller's and the image verifier's reading are the exceptions, below).
package shipshape.rbac

import data.shipshape.lib

deny contains msg if {
	some obj in lib.objects
	obj.kind in {"ClusterRole", "ClusterRoleBinding"}
	msg := sprintf("%s: cluster-wide RBAC; grant a namespaced Role instead", [lib.id(obj)])
}

deny contains msg if {
	some obj in lib.objects
	obj.kind == "RoleBinding"
	obj.roleRef.kind != "Role"
	msg := sprintf("%s: binds %s %s; bind a namespaced Role", [lib.id(obj), obj.roleRef.kind, obj.roleRef.name])
}

deny contains msg if {
	some obj in lib.objects
	obj.kind == "Role"
	some i, rule in obj.rules
	some field in ["apiGroups", "resources", "verbs"]
	"*" in object.get(rule, field, [])
	msg := sprintf("%s: rule %d: %s must be named, not \"*\"", [lib.id(obj), i, field])
}

deny contains msg if {
	some obj in lib.objects
	obj.kind == "Role"
	some i, rule in obj.rules
	some resource in object.get(rule, "resources", [])
	resource in {"secrets", "serviceaccounts/token", "pods/exec"}
	not ingress_controller_reads_certificates(obj, rule, resource)
	not image_verifier_reads_pull_secrets(obj, rule, resource)
	msg := sprintf("%s: rule %d: grants %s", [lib.id(obj), i, resource])
}

# The one exception: the Role named ingress-controller may read (never
# write) Secrets. An ingress controller watches every Secret of the
# namespaces it serves for their TLS certificates (docs/adr/0034).
ingress_controller_reads_certificates(obj, rule, resource) if {
	obj.metadata.name == "ingress-controller"
	resource == "secrets"
	count({v | some v in rule.verbs} - {"get", "list", "watch"}) == 0
}

# The Role named image-verifier may get the Secrets it names, no others:
# the admission webhook that checks image signatures fetches them with the
# pull Secret the pods use (deploy/kubernetes/apps/base/image-verification.yaml).
image_verifier_reads_pull_secrets(obj, rule, resource) if {
	obj.metadata.name == "image-verifier"
	resource == "secrets"
	count(object.get(rule, "resourceNames", [])) > 0
	count({v | some v in rule.verbs} - {"get"}) == 0
}

# Writing to existing objects of the kinds every workload of a namespace
# has (their pods, configuration, Services, claims) must name the objects:
# otherwise one compromised client may rewrite another workload's
# configuration or its pods' images. Creating, listing and watching cannot
# be narrowed by name and are not refused here.
deny contains msg if {
	some obj in lib.objects
	obj.kind == "Role"
	some i, rule in obj.rules
	count(object.get(rule, "resourceNames", [])) == 0
	some resource in object.get(rule, "resources", [])
	resource in shared_kinds
	some verb in object.get(rule, "verbs", [])
	verb in {"update", "patch", "delete"}
	msg := sprintf("%s: rule %d: %s on %s must name the objects (resourceNames)", [lib.id(obj), i, verb, resource])
}

shared_kinds := {
	"pods", "configmaps", "services", "endpoints", "persistentvolumeclaims", "serviceaccounts",
	"deployments", "statefulsets", "daemonsets", "jobs", "cronjobs",
}
