# 2 vCPU / 4 GiB, 4 vCPU / 16 GiB and 8 vCPU / 16 GiB: none is the size the
# capacity table assumes.
# expect: deploy/policies/terraform-fixtures/instance-types.tf: aws_eks_node_group.nodes: instance_types lists "c6i.2xlarge", not a known 4 vCPU / 8 GiB type
# expect: deploy/policies/terraform-fixtures/instance-types.tf: aws_launch_template.nodes: instance_type "m6i.xlarge" is not a known 4 vCPU / 8 GiB type
# expect: deploy/policies/terraform-fixtures/instance-types.tf: module.environment: nodes.instance_type "t3.large" is not a known 4 vCPU / 8 GiB type
# expect: deploy/policies/terraform-fixtures/instance-types.tf: variable.instance_type: default "c6i.large" is not a known 4 vCPU / 8 GiB type
variable "instance_type" {
  type    = string
  default = "c6i.large"
}

resource "aws_launch_template" "nodes" {
  instance_type = "m6i.xlarge"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 100
      volume_type = "gp3"
      encrypted   = true
    }
  }

  metadata_options {
    http_tokens = "required"
  }
}

resource "aws_eks_node_group" "nodes" {
  subnet_ids     = ["subnet-a", "subnet-b", "subnet-c"]
  instance_types = ["c6i.xlarge", "c6i.2xlarge"]

  launch_template {
    id = "lt-1"
  }
}

module "environment" {
  source = "../environment"

  nodes = {
    count           = 3
    instance_type   = "t3.large"
    root_volume_gib = 100
  }
}
