# Small, old-type and missing root volume settings.
# expect: deploy/policies/terraform-fixtures/disks.tf: aws_eks_node_group.default_disk: disk_size is 20 GB, at least 100 is needed
# expect: deploy/policies/terraform-fixtures/disks.tf: aws_launch_template.ami_default: no block_device_mappings: the root volume's size, type and encryption are left to the AMI
# expect: deploy/policies/terraform-fixtures/disks.tf: aws_launch_template.small: block_device_mappings volume_size is 20 GB, at least 100 is needed
# expect: deploy/policies/terraform-fixtures/disks.tf: aws_launch_template.small: block_device_mappings volume_type is "gp2", gp3 is needed
# expect: deploy/policies/terraform-fixtures/disks.tf: aws_launch_template.untyped: block_device_mappings sets no volume_type (gp3 is needed)
# expect: deploy/policies/terraform-fixtures/disks.tf: module.eks: root_volume_gib is 99 GB, at least 100 is needed
# expect: deploy/policies/terraform-fixtures/disks.tf: variable.root_volume_gib: default 50 GB, at least 100 is needed
variable "root_volume_gib" {
  type    = number
  default = 50
}

resource "aws_launch_template" "small" {
  instance_type = "c6i.xlarge"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 20
      volume_type = "gp2"
      encrypted   = true
    }
  }

  metadata_options {
    http_tokens = "required"
  }
}

resource "aws_launch_template" "untyped" {
  instance_type = "c6i.xlarge"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 100
      encrypted   = true
    }
  }

  metadata_options {
    http_tokens = "required"
  }
}

resource "aws_launch_template" "ami_default" {
  instance_type = "c6i.xlarge"

  metadata_options {
    http_tokens = "required"
  }
}

resource "aws_eks_node_group" "default_disk" {
  subnet_ids = ["subnet-a", "subnet-b", "subnet-c"]
  disk_size  = 20

  launch_template {
    id = "lt-1"
  }
}

module "eks" {
  source          = "../eks"
  root_volume_gib = 99
}
