# tflint with its built-in Terraform rules, all of them (the AWS ruleset is
# a plugin that cannot be downloaded on the project's machines). Run from
# infra/terraform with --recursive: every module and root is linted in its
# own directory, so module calls need not be followed.
config {
  call_module_type = "none"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}
