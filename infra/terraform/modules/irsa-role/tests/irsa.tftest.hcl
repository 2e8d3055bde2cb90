# Mock provider: needs `terraform init` with the registry (CI), not here.
mock_provider "aws" {}

variables {
  name              = "shipshape-test-role"
  description       = "test"
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/TEST"
  oidc_issuer       = "oidc.eks.eu-west-1.amazonaws.com/id/TEST"
  service_accounts  = [{ namespace = "shipshape", name = "postgres" }]
}

run "trusts_exactly_the_service_account" {
  command = plan

  assert {
    condition     = one([for c in data.aws_iam_policy_document.trust.statement[0].condition : c.values if endswith(c.variable, ":sub")]) == ["system:serviceaccount:shipshape:postgres"]
    error_message = "the role trusts system:serviceaccount:shipshape:postgres only"
  }

  assert {
    condition     = length(aws_iam_role_policy.this) == 0
    error_message = "no inline policy unless given"
  }
}

run "a_wildcard_is_refused" {
  command = plan

  variables {
    service_accounts = [{ namespace = "shipshape", name = "*" }]
  }

  expect_failures = [var.service_accounts]
}
