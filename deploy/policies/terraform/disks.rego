# Every node's root volume: at least 100 GB, gp3, encrypted.
package shipshape.terraform.disks

import data.shipshape.terraform.lib
import rego.v1

small(v) if {
	lib.literal(v)
	is_number(v)
	v < 100
}

launch_template_volumes contains [r, ebs] if {
	some r in lib.resources
	r.type == "aws_launch_template"
	some mapping in r.body.block_device_mappings
	some ebs in mapping.ebs
}

deny contains msg if {
	some [r, ebs] in launch_template_volumes
	small(ebs.volume_size)
	msg := sprintf("%s: block_device_mappings volume_size is %v GB, at least 100 is needed", [lib.id(r), ebs.volume_size])
}

deny contains msg if {
	some [r, ebs] in launch_template_volumes
	ebs.volume_type != "gp3"
	lib.literal(ebs.volume_type)
	msg := sprintf("%s: block_device_mappings volume_type is %q, gp3 is needed", [lib.id(r), ebs.volume_type])
}

deny contains msg if {
	some [r, ebs] in launch_template_volumes
	not ebs.volume_type
	msg := sprintf("%s: block_device_mappings sets no volume_type (gp3 is needed)", [lib.id(r)])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_launch_template"
	count(object.get(r.body, "block_device_mappings", [])) == 0
	msg := sprintf("%s: no block_device_mappings: the root volume's size, type and encryption are left to the AMI", [lib.id(r)])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_eks_node_group"
	small(r.body.disk_size)
	msg := sprintf("%s: disk_size is %v GB, at least 100 is needed", [lib.id(r), r.body.disk_size])
}

deny contains msg if {
	some m in lib.module_calls
	some x in lib.module_values(m, {"root_volume_gib", "disk_size"})
	small(x.value)
	msg := sprintf("%s: %s is %v GB, at least 100 is needed", [lib.module_id(m), x.where, x.value])
}

deny contains msg if {
	some x in lib.variable_defaults({"root_volume_gib", "disk_size"})
	small(x.value)
	msg := sprintf("%s: default %v GB, at least 100 is needed", [lib.variable_id(x.variable), x.value])
}
