variable "node_count" {
  description = "Nodes the group keeps at least (and starts with); one PostgreSQL member per node needs 3."
  type        = number

  validation {
    condition     = var.node_count >= 3 && floor(var.node_count) == var.node_count
    error_message = "node_count must be a whole number of at least 3 (PostgreSQL runs 3 members, one per node)."
  }
}

variable "max_node_count" {
  description = "Nodes the group may grow to (cluster autoscaler or manual scaling)."
  type        = number

  validation {
    condition     = var.max_node_count >= var.node_count && floor(var.max_node_count) == var.max_node_count
    error_message = "max_node_count must be a whole number of at least node_count."
  }
}

variable "availability_zones" {
  description = "Availability zones the nodes spread over, one private subnet each."
  type        = list(string)

  validation {
    condition     = length(distinct(var.availability_zones)) >= 3 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones must list at least 3 distinct zones (the workloads spread over 3 zones)."
  }
}

variable "instance_type" {
  description = "EC2 instance type of the nodes: exactly 4 vCPU and 8 GiB (see locals.instance_types)."
  type        = string

  validation {
    condition     = contains(keys(local.instance_types), var.instance_type)
    error_message = "instance_type must have exactly 4 vCPU and 8 GiB: one of c5.xlarge, c5a.xlarge, c5d.xlarge, c6a.xlarge, c6i.xlarge, c6id.xlarge, c7a.xlarge, c7i.xlarge, c7i-flex.xlarge."
  }
}

variable "root_volume_gib" {
  description = "Size of each node's encrypted gp3 root volume in GiB."
  type        = number

  validation {
    condition     = var.root_volume_gib >= 100 && floor(var.root_volume_gib) == var.root_volume_gib
    error_message = "root_volume_gib must be a whole number of at least 100."
  }
}
