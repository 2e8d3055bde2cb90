# Mock provider: needs `terraform init` with the registry (CI), not here.
mock_provider "aws" {}

variables {
  bucket_name         = "shipshape-test-backups"
  role_name           = "shipshape-test-postgres-backup"
  namespace           = "shipshape"
  service_account     = "postgres"
  oidc_provider_arn   = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/TEST"
  oidc_issuer         = "oidc.eks.eu-west-1.amazonaws.com/id/TEST"
  deleted_backup_days = 30
}

run "bucket_and_role" {
  command = plan

  assert {
    condition     = length(data.aws_iam_policy_document.pgbackrest.statement) == 3
    error_message = "the role lists the bucket, reads and writes its objects and uses its key, nothing else"
  }
}

run "less_than_a_week_to_undo_is_refused" {
  command = plan

  variables {
    deleted_backup_days = 3
  }

  expect_failures = [var.deleted_backup_days]
}
