output "vpc_cidr_block" {
  description = "The VPC's CIDR: the egress block of the overlay's patches/egress-kube-apiserver.yaml and egress-backup-repository.yaml."
  value       = module.network.vpc_cidr_block
}

output "cluster_name" {
  description = "The EKS cluster (aws eks update-kubeconfig --name)."
  value       = module.eks.name
}

output "cluster_endpoint" {
  description = "The API server's URL."
  value       = module.eks.endpoint
}

output "cluster_certificate_authority" {
  description = "The API server's CA (base64 PEM)."
  value       = module.eks.certificate_authority
}

output "storage_class_name" {
  description = "The StorageClass the manifests' PostgreSQL claims use (deploy/kubernetes/infrastructure/base/storage)."
  value       = var.kubernetes.storage_class
}

output "volume_snapshot_class_name" {
  description = "The VolumeSnapshotClass of the nightly snapshots."
  value       = var.kubernetes.volume_snapshot_class
}

output "csi_driver" {
  description = "The CSI driver both classes name."
  value       = module.eks.csi_driver
}

output "backup_bucket" {
  description = "PGBACKREST_REPO1_S3_BUCKET of the overlay."
  value       = module.backup.bucket
}

output "backup_region" {
  description = "PGBACKREST_REPO1_S3_REGION of the overlay."
  value       = var.region
}

output "postgres_service_account_annotations" {
  description = "The annotations of ServiceAccount <namespace>/<postgres_service_account> in the overlay."
  value       = { "eks.amazonaws.com/role-arn" = module.backup.role_arn }
}

output "zone_id" {
  description = "The hosted zone (ExternalDNS, the letsencrypt ClusterIssuer's DNS-01 solver)."
  value       = module.dns.zone_id
}

output "zone_name" {
  description = "The hosted zone's name."
  value       = module.dns.zone_name
}

output "name_servers" {
  description = "Delegate zone_name to these."
  value       = module.dns.name_servers
}

output "external_dns_role_arn" {
  description = "Annotation eks.amazonaws.com/role-arn of ServiceAccount external-dns/external-dns."
  value       = module.dns.external_dns_role_arn
}

output "cert_manager_role_arn" {
  description = "Annotation eks.amazonaws.com/role-arn of ServiceAccount cert-manager/cert-manager."
  value       = module.dns.cert_manager_role_arn
}

output "registry_urls" {
  description = "ECR repository URLs by image name (empty where this account holds none)."
  value       = length(module.registry) > 0 ? module.registry[0].repository_urls : {}
}

output "github_role_arns" {
  description = "The roles the workflows assume, by short name."
  value       = module.github.role_arns
}

output "nat_public_ips" {
  description = "The nodes' outgoing addresses."
  value       = module.network.nat_public_ips
}

output "gitops_deploy_key" {
  description = "Flux's read-only deploy key (the root's flux provider reads the repository with it); empty before the bootstrap."
  value       = length(module.gitops) > 0 ? module.gitops[0].deploy_key_private : ""
  sensitive   = true
}
