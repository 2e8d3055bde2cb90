variable "account_id" {
  description = "The AWS account (the environment root's local.account_id)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "region" {
  description = "The region of the state bucket (the backend's region)."
  type        = string
}
