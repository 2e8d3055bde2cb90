# State in the account's state bucket (infra/terraform/bootstrap), locked
# with S3's own conditional writes (a .tflock object; no DynamoDB table).
terraform {
  backend "s3" {
    bucket       = "shipshape-terraform-state-444455556666"
    key          = "staging/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
