variable "name" {
  description = "The cluster's name, e.g. shipshape-production."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version; the manifests need 1.33 or later (matchLabelKeys in topology spread)."
  type        = string

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version)) && tonumber(split(".", var.kubernetes_version)[1]) >= 33
    error_message = "kubernetes_version must be 1.33 or later, as \"1.N\"."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets, one per zone: nodes and the control plane's network interfaces."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 3
    error_message = "private_subnet_ids must hold a subnet in each of at least 3 zones."
  }
}

variable "public_access_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint; empty turns the public endpoint off."
  type        = list(string)

  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrhost(c, 0)) && !contains(["0.0.0.0/0", "::/0"], c)])
    error_message = "public_access_cidrs must be CIDRs and must not open the API to every address (0.0.0.0/0 or ::/0)."
  }
}

variable "admin_role_arns" {
  description = "IAM roles that administer the cluster (EKS access entries)."
  type        = list(string)
}

variable "viewer_role_arns" {
  description = "IAM roles that may read everything in the cluster and change nothing (EKS access entries)."
  type        = list(string)
}

variable "node_count" {
  description = "Nodes the group keeps at least (validated by module cluster-sizing)."
  type        = number
}

variable "max_node_count" {
  description = "Nodes the group may grow to."
  type        = number
}

variable "instance_type" {
  description = "The nodes' instance type (validated by module cluster-sizing)."
  type        = string
}

variable "root_volume_gib" {
  description = "Root volume size per node in GiB (validated by module cluster-sizing)."
  type        = number
}

variable "log_retention_days" {
  description = "Days to keep control-plane logs."
  type        = number
}
