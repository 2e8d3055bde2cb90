output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "The VPC's CIDR: the API server's and the S3 endpoint's addresses are inside it (the overlays' egress policies)."
  value       = aws_vpc.this.cidr_block
}

output "private_subnet_ids" {
  description = "Private subnets, one per zone, in zone order: nodes and the control plane's interfaces."
  value       = [for zone in var.availability_zones : aws_subnet.private[zone].id]
}

output "public_subnet_ids" {
  description = "Public subnets, one per zone: internet-facing load balancers."
  value       = [for zone in var.availability_zones : aws_subnet.public[zone].id]
}

output "nat_public_ips" {
  description = "The NAT gateways' addresses: what the internet sees of the nodes."
  value       = [for eip in aws_eip.nat : eip.public_ip]
}
