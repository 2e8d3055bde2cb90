variable "name" {
  description = "The bucket's globally unique name."
  type        = string
}

variable "noncurrent_version_days" {
  description = "Days a replaced or deleted object's old version is kept before it expires."
  type        = number

  validation {
    condition     = var.noncurrent_version_days >= 1
    error_message = "noncurrent_version_days must be at least 1."
  }
}

variable "expire_current_after_days" {
  description = "Days after which current objects expire as a safety net behind the writer's own retention (null: never)."
  type        = number
  default     = null
}
