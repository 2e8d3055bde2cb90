terraform {
  required_version = ">= 1.11.0, < 2.0.0"

  # flux, github and tls are used by module gitops only; declared here too so
  # that this module's tests (mock_provider "flux" and so on) and callers map
  # the names to the right providers rather than to hashicorp/<name>.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.20"
    }
    # tflint-ignore: terraform_unused_required_providers
    flux = {
      source  = "fluxcd/flux"
      version = "~> 1.6"
    }
    # tflint-ignore: terraform_unused_required_providers
    github = {
      source  = "integrations/github"
      version = "~> 6.6"
    }
    # tflint-ignore: terraform_unused_required_providers
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.1"
    }
  }
}
