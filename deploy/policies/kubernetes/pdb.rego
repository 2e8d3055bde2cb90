# Outside development, every workload that runs more than one replica (its
# HPA's minimum when autoscaled) has a PodDisruptionBudget selecting its
# pods, so a node drain never takes all of them at once.
package shipshape.pdb

import data.shipshape.lib

replicated := {"Deployment", "StatefulSet", "ReplicaSet"}

covered(obj) if {
	some pdb in lib.objects
	pdb.kind == "PodDisruptionBudget"
	lib.namespace_of(pdb) == lib.namespace_of(obj)
	lib.selects(pdb.spec.selector, lib.pod_labels(obj))
}

deny contains msg if {
	some obj in lib.workloads
	obj.kind in replicated
	not lib.development(obj)
	n := lib.min_replicas(obj)
	n > 1
	not covered(obj)
	msg := sprintf("%s: runs %d replicas but no PodDisruptionBudget selects its pods", [lib.id(obj), n])
}
