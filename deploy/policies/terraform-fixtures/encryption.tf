# Nothing encrypted: a cluster without Secrets encryption, a plain volume,
# a bucket without default encryption, an AES256 ECR repository, a log group
# without a key, a key that never rotates.
# expect: deploy/policies/terraform-fixtures/encryption.tf: aws_cloudwatch_log_group.logs: no kms_key_id
# expect: deploy/policies/terraform-fixtures/encryption.tf: aws_ebs_volume.data: encrypted must be true
# expect: deploy/policies/terraform-fixtures/encryption.tf: aws_ecr_repository.app: encryption_configuration.encryption_type must be KMS
# expect: deploy/policies/terraform-fixtures/encryption.tf: aws_eks_cluster.plain: no encryption_config with resources ["secrets"] and a KMS key: Secrets are stored unencrypted in etcd
# expect: deploy/policies/terraform-fixtures/encryption.tf: aws_kms_key.static: enable_key_rotation must be true
# expect: deploy/policies/terraform-fixtures/encryption.tf: aws_launch_template.nodes: block_device_mappings /dev/xvda is not encrypted
# expect: deploy/policies/terraform-fixtures/encryption.tf: aws_s3_bucket.backups: no aws_s3_bucket_server_side_encryption_configuration attached to it
resource "aws_eks_cluster" "plain" {
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  vpc_config {
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}

resource "aws_launch_template" "nodes" {
  instance_type = "c6i.xlarge"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 100
      volume_type = "gp3"
    }
  }

  metadata_options {
    http_tokens = "required"
  }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
}

resource "aws_s3_bucket" "backups" {
  bucket = "fixture-backups"
}

resource "aws_s3_bucket_public_access_block" "backups" {
  bucket                  = aws_s3_bucket.backups.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "backups" {
  bucket = aws_s3_bucket.backups.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_ecr_repository" "app" {
  name = "shipshape/app"
  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_cloudwatch_log_group" "logs" {
  name = "/fixture"
}

resource "aws_kms_key" "static" {
  description = "never rotated"
}
