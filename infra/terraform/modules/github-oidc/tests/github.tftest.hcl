# Mock provider: needs `terraform init` with the registry (CI), not here.
mock_provider "aws" {}

variables {
  name       = "shipshape-test"
  repository = "shipshape-dev/shipshape"
  roles = {
    plan = {
      description         = "plan"
      subjects            = ["pull_request"]
      managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    }
  }
}

run "roles_trust_named_subjects" {
  command = plan

  assert {
    condition     = one([for c in data.aws_iam_policy_document.trust["plan"].statement[0].condition : c.values if endswith(c.variable, ":sub")]) == ["repo:shipshape-dev/shipshape:pull_request"]
    error_message = "the plan role trusts this repository's pull requests only"
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.this) == 1
    error_message = "the managed policy is attached"
  }
}

run "every_workflow_is_refused" {
  command = plan

  variables {
    roles = {
      any = { description = "any", subjects = ["*"] }
    }
  }

  expect_failures = [var.roles]
}
