# One environment's cloud: what deploy/kubernetes expects of the cluster it
# runs on (docs/kubernetes.md), wired from the other modules. The roots in
# environments/<env> only choose the values.

locals {
  name = "shipshape-${var.environment}"
}

module "sizing" {
  source = "../cluster-sizing"

  node_count         = var.nodes.count
  max_node_count     = var.nodes.max_count
  availability_zones = var.availability_zones
  instance_type      = var.nodes.instance_type
  root_volume_gib    = var.nodes.root_volume_gib
}

module "logs_key" {
  source = "../kms-key"

  name               = "${local.name}-logs"
  description        = "CloudWatch log groups of ${local.name}"
  service_principals = ["logs.${var.region}.amazonaws.com"]
}

module "network" {
  source = "../network"

  name               = local.name
  cluster_name       = local.name
  cidr_block         = var.vpc_cidr
  availability_zones = module.sizing.availability_zones
  single_nat_gateway = var.single_nat_gateway
  kms_key_arn        = module.logs_key.arn
  log_retention_days = var.log_retention_days
}

module "eks" {
  source = "../eks"

  name                = local.name
  kubernetes_version  = var.kubernetes_version
  private_subnet_ids  = module.network.private_subnet_ids
  public_access_cidrs = var.public_access_cidrs
  admin_role_arns     = concat(var.admin_role_arns, [module.github.role_arns["terraform-apply"]])
  viewer_role_arns    = [module.github.role_arns["terraform-plan"]]
  node_count          = module.sizing.node_count
  max_node_count      = module.sizing.max_node_count
  instance_type       = module.sizing.instance_type
  root_volume_gib     = module.sizing.root_volume_gib
  log_retention_days  = var.log_retention_days
}

module "backup" {
  source = "../backup"

  bucket_name         = var.backup_bucket
  role_name           = "${local.name}-postgres-backup"
  namespace           = var.kubernetes.namespace
  service_account     = var.kubernetes.postgres_service_account
  oidc_provider_arn   = module.eks.oidc_provider_arn
  oidc_issuer         = module.eks.oidc_issuer
  deleted_backup_days = var.deleted_backup_days
}

module "dns" {
  source = "../dns"

  name                         = local.name
  environment                  = var.environment
  zone_name                    = var.zone_name
  oidc_provider_arn            = module.eks.oidc_provider_arn
  oidc_issuer                  = module.eks.oidc_issuer
  external_dns_service_account = { namespace = "external-dns", name = "external-dns" }
  cert_manager_service_account = { namespace = "cert-manager", name = "cert-manager" }
}

module "registry" {
  source = "../registry"
  count  = length(var.registry.repositories) > 0 ? 1 : 0

  name             = local.name
  repositories     = var.registry.repositories
  pull_account_ids = var.registry.pull_account_ids
}

module "gitops" {
  source = "../gitops"
  count  = var.gitops.bootstrap ? 1 : 0

  environment     = var.environment
  repository_name = split("/", var.github_repository)[1]
  path            = var.gitops.path

  depends_on = [module.eks]
}
