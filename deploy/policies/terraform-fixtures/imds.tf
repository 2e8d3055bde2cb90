# IMDSv1 still answered: a launch template that does not require tokens, one
# without metadata options, and a node group without a launch template.
# expect: deploy/policies/terraform-fixtures/imds.tf: aws_eks_node_group.no_template: no launch_template: the nodes would accept IMDSv1
# expect: deploy/policies/terraform-fixtures/imds.tf: aws_launch_template.optional: metadata_options.http_tokens must be "required" (IMDSv2)
# expect: deploy/policies/terraform-fixtures/imds.tf: aws_launch_template.unset: metadata_options.http_tokens must be "required" (IMDSv2)
resource "aws_launch_template" "optional" {
  instance_type = "c6i.xlarge"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 100
      volume_type = "gp3"
      encrypted   = true
    }
  }

  metadata_options {
    http_tokens = "optional"
  }
}

resource "aws_launch_template" "unset" {
  instance_type = "c6i.xlarge"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 100
      volume_type = "gp3"
      encrypted   = true
    }
  }
}

resource "aws_eks_node_group" "no_template" {
  subnet_ids = ["subnet-a", "subnet-b", "subnet-c"]
}
