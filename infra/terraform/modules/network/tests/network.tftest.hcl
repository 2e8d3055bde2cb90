# Mock provider: needs `terraform init` with the registry (CI), not here.
mock_provider "aws" {}

variables {
  name               = "shipshape-test"
  cluster_name       = "shipshape-test"
  cidr_block         = "10.9.0.0/16"
  availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  single_nat_gateway = false
  kms_key_arn        = "arn:aws:kms:eu-west-1:111122223333:key/test"
  log_retention_days = 30
}

run "a_private_and_a_public_subnet_per_zone" {
  command = plan

  assert {
    condition     = length(aws_subnet.private) == 3 && length(aws_subnet.public) == 3
    error_message = "one private and one public subnet per zone"
  }

  assert {
    condition     = aws_subnet.private["eu-west-1a"].cidr_block == "10.9.128.0/20" && aws_subnet.public["eu-west-1a"].cidr_block == "10.9.0.0/20"
    error_message = "subnets are /20s: public from the start of the /16, private from its middle"
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch == false])
    error_message = "nothing gets a public address by default"
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 3
    error_message = "one NAT gateway per zone"
  }
}

run "single_nat_gateway" {
  command = plan

  variables {
    single_nat_gateway = true
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_route.private_nat) == 3
    error_message = "one NAT gateway, routed from every zone"
  }
}

run "not_a_16_is_refused" {
  command = plan

  variables {
    cidr_block = "10.9.0.0/20"
  }

  expect_failures = [var.cidr_block]
}
