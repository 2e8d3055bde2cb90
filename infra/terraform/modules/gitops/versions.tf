terraform {
  required_version = ">= 1.11.0, < 2.0.0"

  required_providers {
    flux = {
      source  = "fluxcd/flux"
      version = "~> 1.6"
    }
    github = {
      source  = "integrations/github"
      version = "~> 6.6"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.1"
    }
  }
}
