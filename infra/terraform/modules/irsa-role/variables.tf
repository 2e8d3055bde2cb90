variable "name" {
  description = "The role's name; the service account's eks.amazonaws.com/role-arn annotation ends with it."
  type        = string
}

variable "description" {
  description = "Who uses the role, for what."
  type        = string
}

variable "oidc_provider_arn" {
  description = "The cluster's IAM OIDC provider."
  type        = string
}

variable "oidc_issuer" {
  description = "The cluster's OIDC issuer without https:// (the trust policy's condition key prefix)."
  type        = string
}

variable "service_accounts" {
  description = "The Kubernetes service accounts that may assume the role."
  type = list(object({
    namespace = string
    name      = string
  }))

  validation {
    condition     = length(var.service_accounts) > 0 && alltrue([for sa in var.service_accounts : sa.namespace != "" && sa.name != "" && !strcontains("${sa.namespace}${sa.name}", "*")])
    error_message = "service_accounts must name at least one service account by exact namespace and name (no wildcards)."
  }
}

variable "policy_json" {
  description = "Inline policy of the role (null for none)."
  type        = string
  default     = null
}

variable "managed_policy_arns" {
  description = "Managed policies attached to the role."
  type        = list(string)
  default     = []
}
