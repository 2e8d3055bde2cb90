# The API server open to the internet: a public endpoint without a list
# (EKS's default is 0.0.0.0/0), one listing 0.0.0.0/0, no private endpoint,
# missing control-plane logs; and 0.0.0.0/0 given to a module and as a
# variable's default.
# expect: deploy/policies/terraform-fixtures/api-endpoint.tf: aws_eks_cluster.default_public: enabled_cluster_log_types lacks authenticator, controllerManager, scheduler
# expect: deploy/policies/terraform-fixtures/api-endpoint.tf: aws_eks_cluster.default_public: the public endpoint is on without public_access_cidrs (EKS then allows 0.0.0.0/0)
# expect: deploy/policies/terraform-fixtures/api-endpoint.tf: aws_eks_cluster.open: vpc_config.endpoint_private_access must be true
# expect: deploy/policies/terraform-fixtures/api-endpoint.tf: aws_eks_cluster.open: vpc_config.public_access_cidrs allows 0.0.0.0/0
# expect: deploy/policies/terraform-fixtures/api-endpoint.tf: module.environment: public_access_cidrs allows 0.0.0.0/0
# expect: deploy/policies/terraform-fixtures/api-endpoint.tf: variable.public_access_cidrs: default allows ::/0
variable "public_access_cidrs" {
  type    = list(string)
  default = ["::/0"]
}

resource "aws_eks_cluster" "default_public" {
  enabled_cluster_log_types = ["api", "audit"]

  vpc_config {
    endpoint_private_access = true
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = "arn:aws:kms:eu-west-1:111122223333:key/fixture"
    }
  }
}

resource "aws_eks_cluster" "open" {
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  vpc_config {
    endpoint_public_access = true
    public_access_cidrs    = ["203.0.113.0/24", "0.0.0.0/0"]
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = "arn:aws:kms:eu-west-1:111122223333:key/fixture"
    }
  }
}

module "environment" {
  source              = "../environment"
  public_access_cidrs = ["0.0.0.0/0"]
}
