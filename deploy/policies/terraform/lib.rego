# What the Terraform policies share. regocheck parses every .tf file (HCL,
# as conftest does) in combine mode: input is a list of {path, contents},
# blocks are lists of objects, and an expression that is not a literal
# stays a string with "${...}". Policies judge literals wherever they are
# written (resource arguments, module arguments, variable defaults); a
# value passed on through a variable is judged where it is written (the
# roots) and again by the cluster-sizing module's validations at plan time.
package shipshape.terraform.lib

import rego.v1

# Every block of a kind: {path, type, name, body}.
resources contains r if {
	some f in input
	some type, named in f.contents.resource
	some name, bodies in named
	some body in bodies
	r := {"path": f.path, "dir": dir(f.path), "type": type, "name": name, "body": body}
}

module_calls contains m if {
	some f in input
	some name, bodies in f.contents.module
	some body in bodies
	m := {"path": f.path, "name": name, "body": body}
}

variables contains v if {
	some f in input
	some name, bodies in f.contents.variable
	some body in bodies
	v := {"path": f.path, "name": name, "body": body}
}

dir(path) := concat("/", array.slice(parts, 0, count(parts) - 1)) if parts := split(path, "/")

# A value written out in the file rather than computed from a reference.
literal(v) if not is_string(v)

literal(v) if {
	is_string(v)
	not contains(v, "${")
}

# The resource's identity in messages.
id(r) := sprintf("%s: %s.%s", [r.path, r.type, r.name])

module_id(m) := sprintf("%s: module.%s", [m.path, m.name])

variable_id(v) := sprintf("%s: variable.%s", [v.path, v.name])

# The first block of a nested block list, or an empty object.
block(body, key) := body[key][0] if count(body[key]) > 0

else := {}

# Values a module call passes for a setting: a top-level argument, or an
# attribute of an object argument (nodes = { instance_type = ... }).
module_values(m, names) := top | nested if {
	top := {{"where": name, "value": m.body[name]} | some name in names; m.body[name]}
	nested := {{"where": sprintf("%s.%s", [arg, name]), "value": obj[name]} |
		some arg, obj in m.body
		is_object(obj)
		some name in names
		obj[name]
	}
}

# Variable defaults for a setting.
variable_defaults(names) := {{"variable": v, "value": v.body["default"]} |
	some v in variables
	v.name in names
	v.body["default"] != null
}

# A resource of the given type in the same module (directory) that names
# bucket r in its bucket argument (aws_s3_bucket_versioning and the like).
attached_to_bucket(r, type) if {
	some other in resources
	other.type == type
	other.dir == r.dir
	contains(other.body.bucket, sprintf("aws_s3_bucket.%s.", [r.name]))
}
