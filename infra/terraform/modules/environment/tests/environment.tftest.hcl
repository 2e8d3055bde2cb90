# Mock providers: need `terraform init` with the registry (CI), not here.
mock_provider "aws" {
  mock_resource "aws_eks_cluster" {
    defaults = {
      identity = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/TEST" }] }]
    }
  }
}
mock_provider "flux" {}
mock_provider "github" {}
mock_provider "tls" {}

variables {
  environment        = "staging"
  region             = "eu-west-1"
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
  admin_role_arns     = []
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
  registry            = { repositories = [] }
  github_repository   = "shipshape-dev/shipshape"
  state_bucket        = "shipshape-terraform-state-444455556666"
  gitops              = { bootstrap = false, path = "deploy/gitops/clusters/staging" }
}

run "wired_for_the_manifests" {
  command = plan

  assert {
    condition     = output.storage_class_name == "shipshape-database" && output.volume_snapshot_class_name == "shipshape-database"
    error_message = "the storage classes the manifests name"
  }

  assert {
    condition     = output.csi_driver == "ebs.csi.aws.com"
    error_message = "the classes' driver"
  }

  assert {
    condition     = length(module.registry) == 0 && length(module.gitops) == 0
    error_message = "no registry without repositories, no Flux before the bootstrap is asked for"
  }
}

run "an_unknown_environment_is_refused" {
  command = plan

  variables {
    environment = "qa"
  }

  expect_failures = [var.environment]
}
