# Two nodes, and two zones, written in each place a count can be.
# expect: deploy/policies/terraform-fixtures/nodes.tf: aws_eks_node_group.small: scaling_config.desired_size is 2, at least 3 nodes are needed
# expect: deploy/policies/terraform-fixtures/nodes.tf: aws_eks_node_group.small: scaling_config.min_size is 1, at least 3 nodes are needed
# expect: deploy/policies/terraform-fixtures/nodes.tf: aws_eks_node_group.small: subnet_ids lists 2 subnets, one in each of at least 3 zones is needed
# expect: deploy/policies/terraform-fixtures/nodes.tf: module.eks: node_count is 1, at least 3 nodes are needed
# expect: deploy/policies/terraform-fixtures/nodes.tf: module.environment: availability_zones names 2 distinct zones, at least 3 are needed
# expect: deploy/policies/terraform-fixtures/nodes.tf: module.environment: nodes.count is 2, at least 3 nodes are needed
# expect: deploy/policies/terraform-fixtures/nodes.tf: variable.availability_zones: default names 2 distinct zones, at least 3 are needed
# expect: deploy/policies/terraform-fixtures/nodes.tf: variable.node_count: default 2, at least 3 nodes are needed
variable "node_count" {
  type    = number
  default = 2
}

variable "availability_zones" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b", "eu-west-1a"]
}

resource "aws_eks_node_group" "small" {
  subnet_ids = ["subnet-a", "subnet-b"]

  launch_template {
    id = "lt-1"
  }

  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 6
  }
}

module "environment" {
  source             = "../environment"
  availability_zones = ["eu-west-1a", "eu-west-1b"]

  nodes = {
    count           = 2
    instance_type   = "c6i.xlarge"
    root_volume_gib = 100
  }
}

module "eks" {
  source     = "../eks"
  node_count = 1
}
