variable "name" {
  description = "Name prefix of the roles, e.g. shipshape-production."
  type        = string
}

variable "repository" {
  description = "The GitHub repository as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.repository))
    error_message = "repository must be owner/name."
  }
}

variable "roles" {
  description = "Roles by short name: the token subjects after repo:<owner>/<name>: (e.g. ref:refs/heads/main, environment:production) and their permissions."
  type = map(object({
    description         = string
    subjects            = list(string)
    managed_policy_arns = optional(list(string), [])
    policy_json         = optional(string)
  }))

  validation {
    condition     = alltrue([for r in values(var.roles) : length(r.subjects) > 0 && !contains(r.subjects, "*")])
    error_message = "every role must trust named subjects, never every workflow of the repository (\"*\")."
  }
}
