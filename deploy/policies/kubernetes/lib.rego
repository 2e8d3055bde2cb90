# Helpers shared by the policies. Every policy reads the combined input
# (conftest's --combine shape, which tools/iac/regocheck gives): an array
# of {path, contents}, one entry per YAML document of a rendered overlay,
# so a policy can relate objects (a Deployment and its PodDisruptionBudget,
# a pod and the NetworkPolicies that select it).
package shipshape.lib

objects contains obj if {
	some entry in input
	obj := entry.contents
	is_object(obj)
	obj.kind
}

# id names an object in messages: Kind/namespace/name, or Kind/name when
# it has no namespace.
id(obj) := sprintf("%s/%s/%s", [obj.kind, obj.metadata.namespace, obj.metadata.name]) if {
	obj.metadata.namespace
} else := sprintf("%s/%s", [obj.kind, obj.metadata.name])

# environment is the overlay's shipshape.dev/environment label ("" in base
# and in fixtures that do not set it, which count as not development).
environment(obj) := obj.metadata.labels["shipshape.dev/environment"] if {
	obj.metadata.labels["shipshape.dev/environment"]
} else := ""

development(obj) if environment(obj) == "development"

pod_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

# long_running are workloads whose pods serve until replaced.
long_running := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}

pod_template(obj) := obj.spec.template if obj.kind in pod_kinds

pod_template(obj) := obj.spec.jobTemplate.spec.template if obj.kind == "CronJob"

# The Job an Argo Rollouts analysis runs (the storefront's smoke journey):
# the controller creates it from this template, so the template is held to
# the rules of the Jobs we write. One Job metric per template.
pod_template(obj) := templates[0] if {
	obj.kind == "AnalysisTemplate"
	templates := [m.provider.job.spec.template | some m in obj.spec.metrics; m.provider.job]
	count(templates) == 1
}

workloads contains obj if {
	some obj in objects
	pod_template(obj)
}

pod_spec(obj) := pod_template(obj).spec

pod_labels(obj) := object.get(pod_template(obj), ["metadata", "labels"], {})

# containers of a workload, init containers included, each as
# {"container": c, "init": bool}.
containers(obj) := [x |
	some key in ["initContainers", "containers"]
	some c in object.get(pod_spec(obj), key, [])
	x := {"container": c, "init": key == "initContainers"}
]

# selects(selector, labels): a LabelSelector matches a label set. An empty
# selector matches everything.
selects(selector, labels) if {
	every k, v in object.get(selector, "matchLabels", {}) {
		labels[k] == v
	}
	every expr in object.get(selector, "matchExpressions", []) {
		expression_matches(expr, labels)
	}
}

expression_matches(expr, labels) if {
	expr.operator == "In"
	labels[expr.key] in expr.values
}

expression_matches(expr, labels) if {
	expr.operator == "NotIn"
	not labels[expr.key] in expr.values
}

expression_matches(expr, labels) if {
	expr.operator == "Exists"
	labels[expr.key]
}

expression_matches(expr, labels) if {
	expr.operator == "DoesNotExist"
	not labels[expr.key]
}

namespace_of(obj) := obj.metadata.namespace if obj.metadata.namespace

namespace_of(obj) := "default" if not obj.metadata.namespace

# replicas of a workload: its HorizontalPodAutoscaler's minimum when one
# targets it, else spec.replicas (default 1).
min_replicas(obj) := object.get(hpa.spec, "minReplicas", 1) if {
	some hpa in objects
	hpa.kind == "HorizontalPodAutoscaler"
	hpa.spec.scaleTargetRef.kind == obj.kind
	hpa.spec.scaleTargetRef.name == obj.metadata.name
	namespace_of(hpa) == namespace_of(obj)
} else := object.get(obj.spec, "replicas", 1)
