# Once per AWS account, before its environment: the bucket that holds the
# environment's Terraform state. Its own state is local (terraform.tfstate
# here, not committed): it holds nothing but this bucket, which can be
# imported again at any time (docs/infrastructure.md).

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = {
      Project   = "shipshape"
      ManagedBy = "terraform"
    }
  }
}

module "state_bucket" {
  source = "../modules/private-bucket"

  name                    = "shipshape-terraform-state-${var.account_id}"
  noncurrent_version_days = 90
}
