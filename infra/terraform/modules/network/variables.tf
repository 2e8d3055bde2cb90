variable "name" {
  description = "Name prefix of every resource, e.g. shipshape-production."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster whose load balancers may use the subnets (subnet tags)."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's IPv4 CIDR, a /16; the overlays' egress policies name it."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && endswith(var.cidr_block, "/16")
    error_message = "cidr_block must be an IPv4 /16, e.g. 10.0.0.0/16."
  }
}

variable "availability_zones" {
  description = "Zones to spread over (at least 3; module cluster-sizing validates them)."
  type        = list(string)
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper, one zone's outage cuts egress) instead of one per zone."
  type        = bool
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the flow log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days to keep VPC flow logs."
  type        = number
}
