# staging: the same shape as production (three nodes over three zones, so
# that the spread and PostgreSQL's three members behave the same) with one
# NAT gateway, shorter log retention and no registry of its own (it pulls
# from production's). test/terraform compares the names with
# deploy/kubernetes/apps/staging.

locals {
  environment       = "staging"
  region            = "eu-west-1"
  account_id        = "444455556666"
  github_repository = "shipshape-dev/shipshape"
}

module "environment" {
  source = "../../modules/environment"

  environment        = local.environment
  region             = local.region
  availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  vpc_cidr           = "10.1.0.0/16"
  single_nat_gateway = true
  kubernetes_version = "1.34"

  nodes = {
    count           = 3
    max_count       = 4
    instance_type   = "c6i.xlarge"
    root_volume_gib = 100
  }

  public_access_cidrs = ["203.0.113.0/24"]
  admin_role_arns     = ["arn:aws:iam::${local.account_id}:role/platform-admin"]
  log_retention_days  = 30

  kubernetes = {
    namespace                = "shipshape"
    postgres_service_account = "postgres"
    storage_class            = "shipshape-database"
    volume_snapshot_class    = "shipshape-database"
  }

  backup_bucket       = "shipshape-staging-backups"
  deleted_backup_days = 14
  zone_name           = "staging.shipshape.example"

  registry = {
    repositories = []
  }

  github_repository = local.github_repository
  state_bucket      = "shipshape-terraform-state-${local.account_id}"

  gitops = {
    bootstrap = true
    path      = "deploy/gitops/clusters/staging"
  }
}
