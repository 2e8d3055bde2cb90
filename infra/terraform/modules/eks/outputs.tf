output "name" {
  description = "The cluster's name."
  value       = aws_eks_cluster.this.name
}

output "endpoint" {
  description = "The API server's URL."
  value       = aws_eks_cluster.this.endpoint
}

output "certificate_authority" {
  description = "The API server's CA certificate (base64 PEM)."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "oidc_provider_arn" {
  description = "The IAM OIDC provider roles for service accounts trust."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer" {
  description = "The OIDC issuer without https://."
  value       = local.oidc_issuer
}

output "csi_driver" {
  description = "The CSI driver the manifests' StorageClass and VolumeSnapshotClass name as provisioner and driver."
  value       = "ebs.csi.aws.com"
}

output "node_role_arn" {
  description = "The nodes' IAM role (image pulls)."
  value       = aws_iam_role.node.arn
}

output "cluster_security_group_id" {
  description = "The security group EKS created for the control plane and nodes."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}
