output "zone_id" {
  description = "The hosted zone's id (ExternalDNS --zone-id-filter, the ClusterIssuer's hostedZoneID)."
  value       = aws_route53_zone.this.zone_id
}

output "zone_name" {
  description = "The hosted zone's name."
  value       = aws_route53_zone.this.name
}

output "name_servers" {
  description = "Delegate the zone to these from its parent."
  value       = aws_route53_zone.this.name_servers
}

output "external_dns_role_arn" {
  description = "ExternalDNS's service account annotation eks.amazonaws.com/role-arn."
  value       = module.external_dns_role.arn
}

output "cert_manager_role_arn" {
  description = "cert-manager's service account annotation eks.amazonaws.com/role-arn."
  value       = module.cert_manager_role.arn
}
