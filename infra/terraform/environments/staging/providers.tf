provider "aws" {
  region              = local.region
  allowed_account_ids = [local.account_id]

  default_tags {
    tags = {
      Project     = "shipshape"
      Environment = local.environment
      ManagedBy   = "terraform"
    }
  }
}

provider "github" {
  owner = split("/", local.github_repository)[0]
}

# Flux reaches the new cluster with the caller's AWS identity (aws eks
# get-token) and the repository with its deploy key.
provider "flux" {
  kubernetes = {
    host                   = module.environment.cluster_endpoint
    cluster_ca_certificate = base64decode(module.environment.cluster_certificate_authority)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.environment.cluster_name, "--region", local.region]
    }
  }
  git = {
    url    = "ssh://git@github.com/${local.github_repository}.git"
    branch = "main"
    ssh = {
      username    = "git"
      private_key = module.environment.gitops_deploy_key
    }
  }
}
