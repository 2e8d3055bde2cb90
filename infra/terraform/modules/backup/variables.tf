variable "bucket_name" {
  description = "The repository's bucket: the overlay's PGBACKREST_REPO1_S3_BUCKET."
  type        = string
}

variable "role_name" {
  description = "The IAM role of the PostgreSQL service account (its eks.amazonaws.com/role-arn annotation)."
  type        = string
}

variable "namespace" {
  description = "Namespace of the PostgreSQL members."
  type        = string
}

variable "service_account" {
  description = "Service account of the PostgreSQL members."
  type        = string
}

variable "oidc_provider_arn" {
  description = "The cluster's IAM OIDC provider."
  type        = string
}

variable "oidc_issuer" {
  description = "The cluster's OIDC issuer without https://."
  type        = string
}

variable "deleted_backup_days" {
  description = "Days S3 keeps what pgBackRest expired or anyone deleted, as noncurrent versions."
  type        = number

  validation {
    condition     = var.deleted_backup_days >= 7
    error_message = "deleted_backup_days must be at least 7 (a week to notice a deletion)."
  }
}
