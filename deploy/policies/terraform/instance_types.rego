# The nodes' instance type has exactly 4 vCPU and 8 GiB: the size the
# production capacity table is computed for. Smaller does not fit the
# system at maximum scale; bigger changes the cost estimate and the
# per-node spread the capacity test assumes.
package shipshape.terraform.instance_types

import data.shipshape.terraform.lib
import rego.v1

known := data.shipshape_instance_types

unknown(t) if {
	lib.literal(t)
	is_string(t)
	not known[t]
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_launch_template"
	unknown(r.body.instance_type)
	msg := sprintf("%s: instance_type %q is not a known 4 vCPU / 8 GiB type", [lib.id(r), r.body.instance_type])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_eks_node_group"
	some t in r.body.instance_types
	unknown(t)
	msg := sprintf("%s: instance_types lists %q, not a known 4 vCPU / 8 GiB type", [lib.id(r), t])
}

deny contains msg if {
	some m in lib.module_calls
	some x in lib.module_values(m, {"instance_type"})
	unknown(x.value)
	msg := sprintf("%s: %s %q is not a known 4 vCPU / 8 GiB type", [lib.module_id(m), x.where, x.value])
}

deny contains msg if {
	some x in lib.variable_defaults({"instance_type"})
	unknown(x.value)
	msg := sprintf("%s: default %q is not a known 4 vCPU / 8 GiB type", [lib.variable_id(x.variable), x.value])
}
