variable "name" {
  description = "Name prefix of the key, e.g. shipshape-production."
  type        = string
}

variable "repositories" {
  description = "Repository names: the manifests' image names (shipshape/identity, ...)."
  type        = list(string)

  validation {
    condition     = alltrue([for r in var.repositories : can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", r))])
    error_message = "repositories must be valid ECR repository names (lower case, / separated)."
  }
}

variable "pull_account_ids" {
  description = "Other AWS accounts whose nodes may pull the images."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.pull_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "pull_account_ids must be 12-digit AWS account ids."
  }
}

variable "untagged_days" {
  description = "Days before untagged images are removed."
  type        = number
  default     = 14
}
