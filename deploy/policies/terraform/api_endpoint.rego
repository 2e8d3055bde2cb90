# The Kubernetes API: reachable privately from the VPC, publicly only from
# allow-listed CIDRs (never 0.0.0.0/0, which is EKS's default when the
# public endpoint is on and no list is given), every control-plane log on.
package shipshape.terraform.api_endpoint

import data.shipshape.terraform.lib
import rego.v1

everywhere := {"0.0.0.0/0", "::/0"}

log_types := {"api", "audit", "authenticator", "controllerManager", "scheduler"}

vpc_config(r) := lib.block(r.body, "vpc_config")

public_on(r) if not vpc_config(r).endpoint_public_access == false

deny contains msg if {
	some r in lib.resources
	r.type == "aws_eks_cluster"
	not vpc_config(r).endpoint_private_access == true
	msg := sprintf("%s: vpc_config.endpoint_private_access must be true", [lib.id(r)])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_eks_cluster"
	public_on(r)
	not vpc_config(r).public_access_cidrs
	msg := sprintf("%s: the public endpoint is on without public_access_cidrs (EKS then allows 0.0.0.0/0)", [lib.id(r)])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_eks_cluster"
	some cidr in vpc_config(r).public_access_cidrs
	cidr in everywhere
	msg := sprintf("%s: vpc_config.public_access_cidrs allows %s", [lib.id(r), cidr])
}

deny contains msg if {
	some m in lib.module_calls
	some x in lib.module_values(m, {"public_access_cidrs"})
	is_array(x.value)
	some cidr in x.value
	cidr in everywhere
	msg := sprintf("%s: %s allows %s", [lib.module_id(m), x.where, cidr])
}

deny contains msg if {
	some x in lib.variable_defaults({"public_access_cidrs"})
	some cidr in x.value
	cidr in everywhere
	msg := sprintf("%s: default allows %s", [lib.variable_id(x.variable), cidr])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_eks_cluster"
	missing := log_types - {t | some t in object.get(r.body, "enabled_cluster_log_types", [])}
	count(missing) > 0
	msg := sprintf("%s: enabled_cluster_log_types lacks %s", [lib.id(r), concat(", ", sort(missing))])
}
