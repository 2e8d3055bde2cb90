# Pod and container security: what Pod Security Admission's "restricted"
# profile demands, plus a read-only root file system and no service-account
# token unless a workload asks for one.
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

deny contains msg if {
	some obj in lib.workloads
	not lib.pod_spec(obj).automountServiceAccountToken == false
	msg := sprintf("%s: automountServiceAccountToken must be false (no workload calls the Kubernetes API)", [lib.id(obj)])
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
