# The environment's public hosted zone and the roles of the two controllers
# that write into it: ExternalDNS (the Ingress host's records) and
# cert-manager (DNS-01 challenge records for Let's Encrypt). Both may change
# records of this zone only.

resource "aws_route53_zone" "this" {
  name    = var.zone_name
  comment = "shipshape ${var.environment}"
}

data "aws_iam_policy_document" "change_records" {
  statement {
    sid       = "ChangeRecordsOfTheZone"
    actions   = ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"]
    resources = [aws_route53_zone.this.arn]
  }

  statement {
    sid       = "FindZonesAndChanges"
    actions   = ["route53:ListHostedZones", "route53:ListHostedZonesByName", "route53:GetChange"]
    resources = ["*"]
  }
}

module "external_dns_role" {
  source = "../irsa-role"

  name              = "${var.name}-external-dns"
  description       = "ExternalDNS of ${var.name}: records of ${var.zone_name}"
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer       = var.oidc_issuer
  service_accounts  = [var.external_dns_service_account]
  policy_json       = data.aws_iam_policy_document.change_records.json
}

module "cert_manager_role" {
  source = "../irsa-role"

  name              = "${var.name}-cert-manager"
  description       = "cert-manager of ${var.name}: DNS-01 challenges in ${var.zone_name}"
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer       = var.oidc_issuer
  service_accounts  = [var.cert_manager_service_account]
  policy_json       = data.aws_iam_policy_document.change_records.json
}
