output "node_count" {
  description = "Nodes the group keeps at least."
  value       = var.node_count
}

output "max_node_count" {
  description = "Nodes the group may grow to."
  value       = var.max_node_count
}

output "availability_zones" {
  description = "The zones, as given."
  value       = var.availability_zones
}

output "instance_type" {
  description = "The validated instance type."
  value       = var.instance_type
}

output "vcpu" {
  description = "vCPUs per node."
  value       = local.instance_types[var.instance_type].vcpu
}

output "memory_gib" {
  description = "Memory per node in GiB."
  value       = local.instance_types[var.instance_type].memory_gib
}

output "root_volume_gib" {
  description = "Root volume size per node in GiB."
  value       = var.root_volume_gib
}

output "nodes_per_zone" {
  description = "The fewest nodes any zone holds at node_count."
  value       = floor(var.node_count / local.zone_count)
}

output "instance_types" {
  description = "Every accepted instance type with its vCPU and memory."
  value       = local.instance_types
}
