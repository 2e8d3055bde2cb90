# No public bucket: each bucket has a public access block with all four
# settings on, grants no public ACL, and is versioned (a deleted or
# overwritten backup can be recovered).
package shipshape.terraform.buckets

import data.shipshape.terraform.lib
import rego.v1

public_acls := {"public-read", "public-read-write", "authenticated-read"}

block_settings := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

deny contains msg if {
	some r in lib.resources
	r.type == "aws_s3_bucket"
	not lib.attached_to_bucket(r, "aws_s3_bucket_public_access_block")
	msg := sprintf("%s: no aws_s3_bucket_public_access_block attached to it", [lib.id(r)])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_s3_bucket_public_access_block"
	some setting in block_settings
	not r.body[setting] == true
	msg := sprintf("%s: %s must be true", [lib.id(r), setting])
}

deny contains msg if {
	some r in lib.resources
	r.type in {"aws_s3_bucket", "aws_s3_bucket_acl"}
	r.body.acl in public_acls
	msg := sprintf("%s: acl %q makes the bucket public", [lib.id(r), r.body.acl])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_s3_bucket"
	not lib.attached_to_bucket(r, "aws_s3_bucket_versioning")
	msg := sprintf("%s: no aws_s3_bucket_versioning attached to it", [lib.id(r)])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_s3_bucket_versioning"
	not r.body.versioning_configuration[0].status == "Enabled"
	msg := sprintf("%s: versioning_configuration.status must be Enabled", [lib.id(r)])
}
