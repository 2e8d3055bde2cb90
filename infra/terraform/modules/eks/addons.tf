# The cluster's AWS add-ons at the default version for its Kubernetes
# version: networking with NetworkPolicy enforcement (the apps'
# network-policies component needs it), DNS, kube-proxy, the EBS CSI driver
# that provisions the StorageClass the manifests name (its controller on its
# own role) and the snapshot controller behind their VolumeSnapshotClass.

locals {
  addons = {
    "vpc-cni" = {
      role_arn = null
      config   = jsonencode({ enableNetworkPolicy = "true" })
    }
    "coredns"            = { role_arn = null, config = null }
    "kube-proxy"         = { role_arn = null, config = null }
    "aws-ebs-csi-driver" = { role_arn = module.ebs_csi_role.arn, config = null }
    "snapshot-controller" = {
      role_arn = null
      config   = null
    }
  }
}

data "aws_eks_addon_version" "this" {
  for_each = local.addons

  addon_name         = each.key
  kubernetes_version = aws_eks_cluster.this.version
}

resource "aws_eks_addon" "this" {
  for_each = local.addons

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = data.aws_eks_addon_version.this[each.key].version
  service_account_role_arn    = each.value.role_arn
  configuration_values        = each.value.config
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  depends_on = [aws_eks_node_group.this]
}

module "ebs_csi_role" {
  source = "../irsa-role"

  name              = "${var.name}-ebs-csi-driver"
  description       = "EBS CSI driver controller of ${var.name}: creates, attaches and snapshots volumes"
  oidc_provider_arn = aws_iam_openid_connect_provider.this.arn
  oidc_issuer       = local.oidc_issuer
  service_accounts  = [{ namespace = "kube-system", name = "ebs-csi-controller-sa" }]
  managed_policy_arns = [
    "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
  ]
}

locals {
  oidc_issuer = trimprefix(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://")
}
