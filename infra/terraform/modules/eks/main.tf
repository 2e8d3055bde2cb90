# The EKS control plane: API server reachable privately from the VPC and
# publicly only from the allow-listed CIDRs, Secrets envelope-encrypted with
# a KMS key of this cluster, every control-plane log type on, access through
# EKS access entries (no aws-auth ConfigMap).

data "aws_partition" "current" {}

data "aws_region" "current" {}

module "secrets_key" {
  source = "../kms-key"

  name        = "${var.name}-eks-secrets"
  description = "Envelope encryption of the ${var.name} cluster's Kubernetes Secrets"
}

module "logs_key" {
  source = "../kms-key"

  name               = "${var.name}-eks-logs"
  description        = "The ${var.name} cluster's control-plane logs"
  service_principals = ["logs.${data.aws_region.current.region}.amazonaws.com"]
}

# Created before the cluster, so that EKS writes into a group with our
# retention and key rather than creating one without either.
resource "aws_cloudwatch_log_group" "control_plane" {
  name              = "/aws/eks/${var.name}/cluster"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.logs_key.arn
}

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${var.name}-eks-cluster"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

# The public endpoint is on by design, for the allow-listed CIDRs only (the
# issue asks for it: operators and CI outside the VPC). trivy cannot follow
# public_access_cidrs through the module calls and assumes 0.0.0.0/0; the
# variable's validation and deploy/policies/terraform (api_endpoint) refuse
# it.
#trivy:ignore:AWS-0040
#trivy:ignore:AWS-0041
resource "aws_eks_cluster" "this" {
  name     = var.name
  version  = var.kubernetes_version
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = var.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = length(var.public_access_cidrs) > 0
    public_access_cidrs     = var.public_access_cidrs
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = module.secrets_key.arn
    }
  }

  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
  }

  upgrade_policy {
    support_type = "STANDARD"
  }

  depends_on = [
    aws_cloudwatch_log_group.control_plane,
    aws_iam_role_policy_attachment.cluster,
  ]
}

# Who may use the cluster, by IAM role: administrators (people's SSO role,
# the CI role that applies) and viewers that see everything, Secrets
# included (Flux's state needs them), and change nothing (the CI role that
# plans). Nobody implicitly: the cluster's creator gets no access of its own.
locals {
  access_policies = merge(
    { for arn in var.viewer_role_arns : arn => "AmazonEKSAdminViewPolicy" },
    { for arn in var.admin_role_arns : arn => "AmazonEKSClusterAdminPolicy" },
  )
}

resource "aws_eks_access_entry" "people_and_ci" {
  for_each = local.access_policies

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.key
}

resource "aws_eks_access_policy_association" "people_and_ci" {
  for_each = local.access_policies

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.key
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/${each.value}"

  access_scope {
    type = "cluster"
  }

  depends_on = [aws_eks_access_entry.people_and_ci]
}

# The OIDC provider that IAM roles for service accounts trust.
resource "aws_iam_openid_connect_provider" "this" {
  url            = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]
}
