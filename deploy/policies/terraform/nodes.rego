# At least 3 nodes over at least 3 zones: PostgreSQL runs 3 members, one
# per node, and every Deployment spreads over zones (docs/kubernetes.md).
package shipshape.terraform.nodes

import data.shipshape.terraform.lib
import rego.v1

too_few(v) if {
	lib.literal(v)
	is_number(v)
	v < 3
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_eks_node_group"
	some key in ["min_size", "desired_size"]
	v := lib.block(r.body, "scaling_config")[key]
	too_few(v)
	msg := sprintf("%s: scaling_config.%s is %v, at least 3 nodes are needed", [lib.id(r), key, v])
}

deny contains msg if {
	some m in lib.module_calls
	some x in lib.module_values(m, {"node_count", "min_size", "desired_size"})
	too_few(x.value)
	msg := sprintf("%s: %s is %v, at least 3 nodes are needed", [lib.module_id(m), x.where, x.value])
}

# The environment module's node group object: nodes = { count = 3, ... }.
deny contains msg if {
	some m in lib.module_calls
	too_few(m.body.nodes.count)
	msg := sprintf("%s: nodes.count is %v, at least 3 nodes are needed", [lib.module_id(m), m.body.nodes.count])
}

deny contains msg if {
	some x in lib.variable_defaults({"node_count", "min_size", "desired_size"})
	too_few(x.value)
	msg := sprintf("%s: default %v, at least 3 nodes are needed", [lib.variable_id(x.variable), x.value])
}

too_few_zones(v) if {
	is_array(v)
	count({z | some z in v}) < 3
}

deny contains msg if {
	some m in lib.module_calls
	some x in lib.module_values(m, {"availability_zones"})
	too_few_zones(x.value)
	msg := sprintf("%s: %s names %d distinct zones, at least 3 are needed", [lib.module_id(m), x.where, count({z | some z in x.value})])
}

deny contains msg if {
	some x in lib.variable_defaults({"availability_zones"})
	too_few_zones(x.value)
	msg := sprintf("%s: default names %d distinct zones, at least 3 are needed", [lib.variable_id(x.variable), count({z | some z in x.value})])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_eks_node_group"
	too_few_zones(r.body.subnet_ids)
	msg := sprintf("%s: subnet_ids lists %d subnets, one in each of at least 3 zones is needed", [lib.id(r), count(r.body.subnet_ids)])
}
