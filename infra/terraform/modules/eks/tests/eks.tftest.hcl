# Mock provider: needs `terraform init` with the registry (CI), not here.
mock_provider "aws" {
  mock_resource "aws_eks_cluster" {
    defaults = {
      identity = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/TEST" }] }]
    }
  }
}

variables {
  name                = "shipshape-test"
  kubernetes_version  = "1.34"
  private_subnet_ids  = ["subnet-a", "subnet-b", "subnet-c"]
  public_access_cidrs = ["203.0.113.0/24"]
  admin_role_arns     = ["arn:aws:iam::111122223333:role/admin"]
  viewer_role_arns    = ["arn:aws:iam::111122223333:role/plan"]
  node_count          = 3
  max_node_count      = 6
  instance_type       = "c6i.xlarge"
  root_volume_gib     = 100
  log_retention_days  = 30
}

run "nodes_and_control_plane" {
  command = plan

  assert {
    condition     = aws_eks_node_group.this.scaling_config[0].min_size == 3 && aws_eks_node_group.this.scaling_config[0].max_size == 6
    error_message = "the node group keeps node_count nodes and grows to max_node_count"
  }

  assert {
    condition     = aws_launch_template.nodes.metadata_options[0].http_tokens == "required" && aws_launch_template.nodes.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "IMDSv2 only, out of the pods' reach"
  }

  assert {
    condition     = aws_launch_template.nodes.block_device_mappings[0].ebs[0].volume_size == 100 && aws_launch_template.nodes.block_device_mappings[0].ebs[0].encrypted == "true"
    error_message = "100 GB encrypted root volumes"
  }

  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].endpoint_private_access && aws_eks_cluster.this.vpc_config[0].endpoint_public_access
    error_message = "private endpoint, and the public one for the listed CIDRs"
  }

  assert {
    condition     = toset(aws_eks_cluster.this.encryption_config[0].resources) == toset(["secrets"])
    error_message = "Secrets are envelope-encrypted"
  }

  assert {
    condition     = length(aws_eks_cluster.this.enabled_cluster_log_types) == 5
    error_message = "every control-plane log type is on"
  }

  assert {
    condition     = contains(keys(aws_eks_addon.this), "aws-ebs-csi-driver") && contains(keys(aws_eks_addon.this), "snapshot-controller")
    error_message = "the EBS CSI driver and the snapshot controller behind the manifests' storage classes"
  }
}

run "no_public_cidrs_means_private_only" {
  command = plan

  variables {
    public_access_cidrs = []
  }

  assert {
    condition     = !aws_eks_cluster.this.vpc_config[0].endpoint_public_access
    error_message = "without CIDRs the public endpoint is off"
  }
}

run "the_whole_internet_is_refused" {
  command = plan

  variables {
    public_access_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.public_access_cidrs]
}

run "kubernetes_before_1_33_is_refused" {
  command = plan

  variables {
    kubernetes_version = "1.32"
  }

  expect_failures = [var.kubernetes_version]
}
