# Mock provider: needs `terraform init` with the registry (CI), not here.
mock_provider "aws" {}

variables {
  name        = "shipshape-test"
  description = "test"
}

run "rotating_key" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation
    error_message = "the key rotates"
  }

  assert {
    condition     = aws_kms_alias.this.name == "alias/shipshape-test"
    error_message = "the alias is the name"
  }
}
