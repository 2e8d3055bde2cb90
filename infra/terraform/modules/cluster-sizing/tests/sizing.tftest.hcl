# The node group's shape: what is accepted and what is refused. No provider:
# runs offline (make test) and in CI.

variables {
  node_count         = 3
  max_node_count     = 6
  availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  instance_type      = "c6i.xlarge"
  root_volume_gib    = 100
}

run "minimum_cluster_is_accepted" {
  command = plan

  assert {
    condition     = output.vcpu == 4 && output.memory_gib == 8
    error_message = "c6i.xlarge must count as 4 vCPU and 8 GiB"
  }

  assert {
    condition     = output.nodes_per_zone == 1
    error_message = "3 nodes over 3 zones must put one node in each zone"
  }
}

run "every_listed_type_has_4_vcpu_and_8_gib" {
  command = plan

  assert {
    condition     = alltrue([for t in values(output.instance_types) : t.vcpu == 4 && t.memory_gib == 8])
    error_message = "the instance type table lists a type that is not 4 vCPU / 8 GiB"
  }
}

run "two_nodes_are_refused" {
  command = plan

  variables {
    node_count = 2
  }

  expect_failures = [var.node_count]
}

run "a_fraction_of_a_node_is_refused" {
  command = plan

  variables {
    node_count = 3.5
  }

  expect_failures = [var.node_count]
}

run "max_below_min_is_refused" {
  command = plan

  variables {
    max_node_count = 2
  }

  expect_failures = [var.max_node_count]
}

run "two_zones_are_refused" {
  command = plan

  variables {
    availability_zones = ["eu-west-1a", "eu-west-1b"]
  }

  expect_failures = [var.availability_zones]
}

run "a_repeated_zone_is_refused" {
  command = plan

  variables {
    availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1a"]
  }

  expect_failures = [var.availability_zones]
}

run "a_smaller_instance_type_is_refused" {
  command = plan

  variables {
    instance_type = "c6i.large"
  }

  expect_failures = [var.instance_type]
}

run "a_bigger_instance_type_is_refused" {
  command = plan

  variables {
    instance_type = "m6i.xlarge"
  }

  expect_failures = [var.instance_type]
}

run "a_99_gib_disk_is_refused" {
  command = plan

  variables {
    root_volume_gib = 99
  }

  expect_failures = [var.root_volume_gib]
}
