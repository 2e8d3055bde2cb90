output "vpc_cidr_block" {
  description = "The egress block of apps/<env>/patches/egress-*.yaml."
  value       = module.environment.vpc_cidr_block
}

output "cluster_name" {
  description = "aws eks update-kubeconfig --name <this>."
  value       = module.environment.cluster_name
}

output "storage_class_name" {
  description = "The manifests' StorageClass."
  value       = module.environment.storage_class_name
}

output "volume_snapshot_class_name" {
  description = "The manifests' VolumeSnapshotClass."
  value       = module.environment.volume_snapshot_class_name
}

output "backup_bucket" {
  description = "PGBACKREST_REPO1_S3_BUCKET."
  value       = module.environment.backup_bucket
}

output "postgres_service_account_annotations" {
  description = "ServiceAccount shipshape/postgres's annotations in apps/<env>."
  value       = module.environment.postgres_service_account_annotations
}

output "zone_id" {
  description = "The DNS zone's id."
  value       = module.environment.zone_id
}

output "name_servers" {
  description = "Delegate the zone to these."
  value       = module.environment.name_servers
}

output "external_dns_role_arn" {
  description = "ExternalDNS's role."
  value       = module.environment.external_dns_role_arn
}

output "cert_manager_role_arn" {
  description = "cert-manager's role."
  value       = module.environment.cert_manager_role_arn
}

output "registry_urls" {
  description = "ECR repositories by image name."
  value       = module.environment.registry_urls
}

output "github_role_arns" {
  description = "The workflows' roles."
  value       = module.environment.github_role_arns
}
