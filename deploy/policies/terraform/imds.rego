# IMDSv2 only: a node answers instance metadata only to a session token
# (PUT first), which a server-side request forgery through a pod cannot
# obtain. Managed node groups get it through their launch template.
package shipshape.terraform.imds

import data.shipshape.terraform.lib
import rego.v1

deny contains msg if {
	some r in lib.resources
	r.type in {"aws_launch_template", "aws_instance"}
	not lib.block(r.body, "metadata_options").http_tokens == "required"
	msg := sprintf("%s: metadata_options.http_tokens must be \"required\" (IMDSv2)", [lib.id(r)])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_eks_node_group"
	count(object.get(r.body, "launch_template", [])) == 0
	msg := sprintf("%s: no launch_template: the nodes would accept IMDSv1", [lib.id(r)])
}
