variable "environment" {
  description = "staging or production."
  type        = string
}

variable "repository_name" {
  description = "The GitHub repository's name (without the owner)."
  type        = string
}

variable "path" {
  description = "The environment's GitOps path in the repository, e.g. deploy/gitops/clusters/production."
  type        = string

  validation {
    condition     = !startswith(var.path, "/") && !strcontains(var.path, "..")
    error_message = "path must be relative to the repository root."
  }
}
