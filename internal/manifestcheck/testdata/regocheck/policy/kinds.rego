# Every reporting rule kind regocheck reads, over a combined input.
package fixture.kinds

# A bare deny reports strings.
deny contains msg if {
	some entry in input
	entry.contents.kind == "Pod"
	msg := sprintf("%s: Pod %s", [entry.path, entry.contents.metadata.name])
}

# violation_* reports objects with a msg.
violation_size contains {"msg": msg, "size": n} if {
	some entry in input
	n := entry.contents.size
	n > data.limits.size
	msg := sprintf("%s: size %d over %d", [entry.path, n, data.limits.size])
}

# Warnings are reported but never fail.
warn contains "a warning" if count(input) > 0

# Terraform: a block of a resource is a list of objects.
deny_bucket contains msg if {
	some entry in input
	some name, bodies in entry.contents.resource.aws_s3_bucket
	some body in bodies
	not body.versioning
	msg := sprintf("%s: bucket %s without versioning", [entry.path, name])
}
