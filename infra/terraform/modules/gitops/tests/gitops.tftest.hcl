# Mock providers: need `terraform init` with the registry (CI), not here.
mock_provider "flux" {}
mock_provider "github" {}
mock_provider "tls" {}

variables {
  environment     = "staging"
  repository_name = "shipshape"
  path            = "deploy/gitops/clusters/staging"
}

run "read_only_deploy_key_and_path" {
  command = plan

  assert {
    condition     = github_repository_deploy_key.flux.read_only
    error_message = "Flux reads the repository, never writes it"
  }

  assert {
    condition     = flux_bootstrap_git.this.path == "deploy/gitops/clusters/staging"
    error_message = "Flux reconciles the environment's path"
  }
}

run "a_path_outside_the_repository_is_refused" {
  command = plan

  variables {
    path = "../elsewhere"
  }

  expect_failures = [var.path]
}
