# Pod and container security: what Pod Security Admission's "restricted"
# profile demands, plus user and group IDs of 10000 or more, a read-only
# root file system and no service-account
# token unless a workload says why it needs one and is bound to a Role, and
# then only in the container that uses it.
package shipshape.security

import data.shipshape.lib

deny contains msg if {
	some obj in lib.workloads
	not lib.pod_spec(obj).securityContext.runAsNonRoot == true
	msg := sprintf("%s: pod securityContext.runAsNonRoot must be true", [lib.id(obj)])
}

deny contains msg if {
	some obj in lib.workloads
	not confined(lib.pod_spec(obj))
	msg := sprintf("%s: pod securityContext.seccompProfile.type must be RuntimeDefault", [lib.id(obj)])
}

confined(spec) if spec.securityContext.seccompProfile.type in {"RuntimeDefault", "Localhost"}

# No pod gets a token by default: the kubelet would mount it into every
# container. A workload that calls the API mounts a projected
# serviceAccountToken volume into the one container that does.
deny contains msg if {
	some obj in lib.workloads
	not lib.pod_spec(obj).automountServiceAccountToken == false
	msg := sprintf("%s: automountServiceAccountToken must be false; mount a projected serviceAccountToken volume in the container that calls the Kubernetes API", [lib.id(obj)])
}

deny contains msg if {
	some obj in lib.workloads
	some volume in token_volumes(obj)
	not api_client(obj)
	msg := sprintf("%s: volume %q holds a service-account token, but the pod template's shipshape.dev/kubernetes-api annotation does not say why or no RoleBinding grants its ServiceAccount a Role", [lib.id(obj), volume])
}

deny contains msg if {
	some obj in lib.workloads
	some volume in token_volumes(obj)
	mounts := [x.container.name |
		some x in lib.containers(obj)
		some m in object.get(x.container, "volumeMounts", [])
		m.name == volume
	]
	count(mounts) > 1
	msg := sprintf("%s: volume %q holds a service-account token and is mounted in %d containers (%s); mount it only in the one that calls the Kubernetes API", [lib.id(obj), volume, count(mounts), concat(", ", mounts)])
}

# token_volumes are the pod's projected volumes with a serviceAccountToken
# source.
token_volumes(obj) := {v.name |
	some v in object.get(lib.pod_spec(obj), "volumes", [])
	some source in object.get(v, ["projected", "sources"], [])
	source.serviceAccountToken
}

# A workload that calls the Kubernetes API (Patroni) says why on its pod
# template, and its ServiceAccount is bound to a namespaced Role; what the
# Role may do is rbac.rego's concern.
api_client(obj) if {
	count(object.get(lib.pod_template(obj), ["metadata", "annotations", "shipshape.dev/kubernetes-api"], "")) > 0
	account := object.get(lib.pod_spec(obj), "serviceAccountName", "default")
	some binding in lib.objects
	binding.kind == "RoleBinding"
	lib.namespace_of(binding) == lib.namespace_of(obj)
	binding.roleRef.kind == "Role"
	some subject in binding.subjects
	subject.kind == "ServiceAccount"
	subject.name == account
}

# A hostPath volume is the node's file system inside the pod.
deny contains msg if {
	some obj in lib.workloads
	some v in object.get(lib.pod_spec(obj), "volumes", [])
	v.hostPath
	msg := sprintf("%s: volume %q: hostPath must not be used", [lib.id(obj), v.name])
}

deny contains msg if {
	some obj in lib.workloads
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	lib.pod_spec(obj)[field] == true
	msg := sprintf("%s: %s must not be used", [lib.id(obj), field])
}

deny contains msg if {
	some obj in lib.workloads
	lib.pod_spec(obj).securityContext.runAsUser == 0
	msg := sprintf("%s: pod runs as uid 0", [lib.id(obj)])
}

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	not x.container.securityContext.allowPrivilegeEscalation == false
	msg := sprintf("%s: container %q: allowPrivilegeEscalation must be false", [lib.id(obj), x.container.name])
}

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	not x.container.securityContext.readOnlyRootFilesystem == true
	msg := sprintf("%s: container %q: readOnlyRootFilesystem must be true", [lib.id(obj), x.container.name])
}

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	not "ALL" in object.get(x.container, ["securityContext", "capabilities", "drop"], [])
	msg := sprintf("%s: container %q: capabilities.drop must contain ALL", [lib.id(obj), x.container.name])
}

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	count(object.get(x.container, ["securityContext", "capabilities", "add"], [])) > 0
	msg := sprintf("%s: container %q: must not add capabilities", [lib.id(obj), x.container.name])
}

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	x.container.securityContext.privileged == true
	msg := sprintf("%s: container %q: must not be privileged", [lib.id(obj), x.container.name])
}

deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	x.container.securityContext.runAsUser == 0
	msg := sprintf("%s: container %q: runs as uid 0", [lib.id(obj), x.container.name])
}

deny contains msg if {
	some obj in lib.objects
	obj.kind == "ServiceAccount"
	not obj.automountServiceAccountToken == false
	msg := sprintf("%s: automountServiceAccountToken must be false", [lib.id(obj)])
}

# User and group IDs of 10000 or more, set in the manifest (the container's
# securityContext, else the pod's): lower IDs belong to host accounts
# (system users, the first people), whose files a container that escapes
# would own.
deny contains msg if {
	some obj in lib.workloads
	some x in lib.containers(obj)
	some field in ["runAsUser", "runAsGroup"]
	effective_id(obj, x.container, field) < 10000
	msg := sprintf("%s: container %q: %s must be 10000 or more (lower IDs may be the host's accounts)", [lib.id(obj), x.container.name, field])
}

# effective_id is the container's ID, else the pod's, else 0 (unset: the
# image's, which the manifest cannot vouch for).
effective_id(obj, c, field) := object.get(c, ["securityContext", field], object.get(lib.pod_spec(obj), ["securityContext", field], 0))
