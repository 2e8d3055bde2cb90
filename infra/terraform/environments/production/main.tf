# production: three nodes at least, one NAT gateway per zone, the image
# registry (staging's account pulls from it). Replace the account ids, the
# admin role, the allowed CIDRs and the repository with yours
# (docs/infrastructure.md); test/terraform compares the names with
# deploy/kubernetes/apps/production.

locals {
  environment       = "production"
  region            = "eu-west-1"
  account_id        = "111122223333"
  github_repository = "shipshape-dev/shipshape"
}

module "environment" {
  source = "../../modules/environment"

  environment        = local.environment
  region             = local.region
  availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  vpc_cidr           = "10.0.0.0/16"
  single_nat_gateway = false
  kubernetes_version = "1.34"

  nodes = {
    count           = 3
    max_count       = 6
    instance_type   = "c6i.xlarge"
    root_volume_gib = 100
  }

  public_access_cidrs = ["203.0.113.0/24"]
  admin_role_arns     = ["arn:aws:iam::${local.account_id}:role/platform-admin"]
  log_retention_days  = 90

  kubernetes = {
    namespace                = "shipshape"
    postgres_service_account = "postgres"
    storage_class            = "shipshape-database"
    volume_snapshot_class    = "shipshape-database"
  }

  backup_bucket       = "shipshape-production-backups"
  deleted_backup_days = 30
  zone_name           = "shipshape.example"

  registry = {
    repositories = [
      "shipshape/identity",
      "shipshape/catalog",
      "shipshape/cart",
      "shipshape/orders",
      "shipshape/gateway",
      "shipshape/web",
      "shipshape/postgres",
      "shipshape/storefront-smoke",
    ]
    pull_account_ids = ["444455556666"]
  }

  github_repository = local.github_repository
  state_bucket      = "shipshape-terraform-state-${local.account_id}"

  gitops = {
    bootstrap = true
    path      = "deploy/gitops/clusters/production"
  }
}
