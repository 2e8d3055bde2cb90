# Mock provider: needs `terraform init` with the registry (CI), not here.
mock_provider "aws" {}

variables {
  name         = "shipshape-test"
  repositories = ["shipshape/identity", "shipshape/web"]
}

run "immutable_scanned_repositories" {
  command = plan

  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.image_tag_mutability == "IMMUTABLE" && r.image_scanning_configuration[0].scan_on_push])
    error_message = "tags are immutable and every push is scanned"
  }

  assert {
    condition     = length(aws_ecr_repository_policy.pull) == 0
    error_message = "no cross-account pull unless asked"
  }
}

run "other_accounts_may_pull" {
  command = plan

  variables {
    pull_account_ids = ["444455556666"]
  }

  assert {
    condition     = length(aws_ecr_repository_policy.pull) == 2
    error_message = "each repository lets the listed account pull"
  }
}

run "a_bad_name_is_refused" {
  command = plan

  variables {
    repositories = ["Shipshape/Identity"]
  }

  expect_failures = [var.repositories]
}
