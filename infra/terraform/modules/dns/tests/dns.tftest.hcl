# Mock provider: needs `terraform init` with the registry (CI), not here.
mock_provider "aws" {}

variables {
  name                         = "shipshape-test"
  environment                  = "staging"
  zone_name                    = "staging.shipshape.example"
  oidc_provider_arn            = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/TEST"
  oidc_issuer                  = "oidc.eks.eu-west-1.amazonaws.com/id/TEST"
  external_dns_service_account = { namespace = "external-dns", name = "external-dns" }
  cert_manager_service_account = { namespace = "cert-manager", name = "cert-manager" }
}

run "zone_and_roles" {
  command = plan

  assert {
    condition     = aws_route53_zone.this.name == "staging.shipshape.example"
    error_message = "the zone is the environment's"
  }
}

run "a_trailing_dot_is_refused" {
  command = plan

  variables {
    zone_name = "shipshape.example."
  }

  expect_failures = [var.zone_name]
}
