# The node group's shape, checked before anything is created. Provider-free
# on purpose: `terraform test` runs this module's validations anywhere,
# also on machines that cannot download a provider (docs/infrastructure.md).

locals {
  # Instance types with exactly 4 vCPU and 8 GiB (x86_64, current
  # generations), the size the production capacity table is computed for
  # (docs/kubernetes.md "Capacity"). deploy/policies/terraform/data holds the
  # same table for the policies; test/terraform keeps the two equal.
  instance_types = {
    "c5.xlarge"       = { vcpu = 4, memory_gib = 8 }
    "c5a.xlarge"      = { vcpu = 4, memory_gib = 8 }
    "c5d.xlarge"      = { vcpu = 4, memory_gib = 8 }
    "c6a.xlarge"      = { vcpu = 4, memory_gib = 8 }
    "c6i.xlarge"      = { vcpu = 4, memory_gib = 8 }
    "c6id.xlarge"     = { vcpu = 4, memory_gib = 8 }
    "c7a.xlarge"      = { vcpu = 4, memory_gib = 8 }
    "c7i.xlarge"      = { vcpu = 4, memory_gib = 8 }
    "c7i-flex.xlarge" = { vcpu = 4, memory_gib = 8 }
  }

  # One node per zone at least; the autoscaling bound grows by whole zones
  # so that the spread stays even.
  zone_count = length(var.availability_zones)
}
