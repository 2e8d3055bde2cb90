# Encryption at rest everywhere it can be asked for: Kubernetes Secrets
# (envelope encryption with KMS), EBS volumes, S3 buckets, ECR repositories,
# log groups; KMS keys rotate.
package shipshape.terraform.encryption

import data.shipshape.terraform.lib
import rego.v1

deny contains msg if {
	some r in lib.resources
	r.type == "aws_eks_cluster"
	not secrets_encrypted(r.body)
	msg := sprintf("%s: no encryption_config with resources [\"secrets\"] and a KMS key: Secrets are stored unencrypted in etcd", [lib.id(r)])
}

secrets_encrypted(body) if {
	some c in body.encryption_config
	"secrets" in c.resources
	c.provider[0].key_arn
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_launch_template"
	some mapping in r.body.block_device_mappings
	some ebs in mapping.ebs
	not ebs.encrypted == true
	msg := sprintf("%s: block_device_mappings %s is not encrypted", [lib.id(r), mapping.device_name])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_ebs_volume"
	not r.body.encrypted == true
	msg := sprintf("%s: encrypted must be true", [lib.id(r)])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_s3_bucket"
	not lib.attached_to_bucket(r, "aws_s3_bucket_server_side_encryption_configuration")
	msg := sprintf("%s: no aws_s3_bucket_server_side_encryption_configuration attached to it", [lib.id(r)])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_ecr_repository"
	not r.body.encryption_configuration[0].encryption_type == "KMS"
	msg := sprintf("%s: encryption_configuration.encryption_type must be KMS", [lib.id(r)])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_cloudwatch_log_group"
	not r.body.kms_key_id
	msg := sprintf("%s: no kms_key_id", [lib.id(r)])
}

deny contains msg if {
	some r in lib.resources
	r.type == "aws_kms_key"
	not r.body.enable_key_rotation == true
	msg := sprintf("%s: enable_key_rotation must be true", [lib.id(r)])
}
